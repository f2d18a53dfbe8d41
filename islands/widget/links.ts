/** Profile links and avatars from host data; only http(s) URLs are ever used. */
import { S } from "./store.ts";
import type { Profile } from "./types.ts";

/** The URL if it is http(s) (relative ones resolve against the page), else undefined. */
export function safeUrl(u: string | null | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u, location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Fills the original's `{id}` / `{login}` placeholders. */
function fill(tpl: string, p: Profile): string {
  return tpl.replace(/\{id\}/g, encodeURIComponent(p.user_id)).replace(
    /\{login\}/g,
    encodeURIComponent(p.login),
  );
}

/** Link to a user's page on the host site (`user_url_tpl`), if configured. */
export function profileUrl(p?: Profile): string | undefined {
  const tpl = S.opts.user_url_tpl;
  return p && tpl ? safeUrl(fill(tpl, p)) : undefined;
}

/** A user's avatar: the page's own rule (compat), else the profile's, else `user_avatar_url_tpl`. */
export function avatarUrl(p?: Profile): string | undefined {
  if (!p) return undefined;
  const tpl = S.opts.user_avatar_url_tpl;
  return safeUrl(S.avatar?.(p) ?? p.avatar_url) ?? (tpl ? safeUrl(fill(tpl, p)) : undefined);
}
