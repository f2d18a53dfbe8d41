import type { Config } from "../core/config.ts";
import { isUserId } from "../core/ids.ts";
import { parseHashAnswer, parseLenientJson, stripPhpDiagnostics } from "./answers.ts";
import { postForm, refuse } from "./http.ts";
import { safeUrl } from "../core/redact.ts";

export { HostError } from "./http.ts";

/** A user as the host site's URL_getUsersInfo answers it (fields may be missing or mistyped). */
export interface HostUser {
  user_id: string;
  name: string;
  login: string;
  avatar_url: string | null;
  /**
   * The host's `avatar_url` as written when it was a relative path. The original put its
   * `user_avatar_url_tpl` prefix (default `//<page host>/`) in front of it; widgets on an original
   * page do the same (islands/widget_compat/options.ts). Absent for absolute URLs.
   */
  avatar_path?: string;
  city: string;
  age: number | null;
  status: string;
  error: string;
}

function str(v: unknown, max: number): string {
  if (typeof v === "number") return String(v);
  return typeof v === "string" ? v.trim().slice(0, max) : "";
}

/**
 * Only http(s) avatars, resolved against the callback's URL without its query string and
 * credentials (a relative `#a` must not hand the callback's `?token=` to every browser);
 * anything else becomes null.
 */
export function safeAvatarUrl(v: unknown, base: string): string | null {
  if (typeof v !== "string" || !v.trim()) return null;
  try {
    const u = new URL(v.trim(), safeUrl(base));
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * A relative avatar path as the host wrote it (`img/1.png`, `/a/1.png`, `?id=1`), or undefined:
 * anything with a scheme or a host (`//cdn/…`) is absolute, and quotes, spaces, backslashes and
 * angle brackets are never part of a path the original could have served.
 */
export function avatarPath(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return t && t.length <= 500 && !/^([a-z][\w+.-]*:|\/\/)/i.test(t) && /^[^\s"'<>\\`]+$/.test(t)
    ? t
    : undefined;
}

/** Turns one object of the host's answer into a HostUser; null if it has no usable id. */
export function toHostUser(raw: unknown, base: string): HostUser | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const id = str(r.user_id ?? r.id, 64);
  if (!isUserId(id)) return null;
  const age = Number(r.age);
  const path = avatarPath(r.avatar_url);
  return {
    user_id: id,
    name: str(r.name, 100),
    login: str(r.login, 64),
    avatar_url: safeAvatarUrl(r.avatar_url, base),
    ...(path && { avatar_path: path }),
    city: str(r.city, 100),
    age: r.age === null || r.age === undefined || r.age === "" || !Number.isFinite(age)
      ? null
      : Math.trunc(age),
    status: str(r.status, 100),
    error: str(r.error, 500),
  };
}

/** The most a users-info answer may hold (100 users, PHP's warnings and all). */
export const USERS_INFO_MAX_BYTES = 1 << 20;
/** The most a hash answer may hold: a hash is at most 256 characters, warnings included. */
export const HASH_MAX_BYTES = 16 << 10;

/** URL_getUsersInfo: POST `users=1,2`, answer a JSON array of user objects. */
export async function fetchUsersInfo(cfg: Config, ids: string[]): Promise<Map<string, HostUser>> {
  const url = cfg.usersInfoUrl!;
  const what = "URL_getUsersInfo";
  const text = await postForm(cfg, url, `users=${ids.join(",")}`, what, USERS_INFO_MAX_BYTES);
  let parsed: unknown;
  try {
    parsed = parseLenientJson(stripPhpDiagnostics(text).trim());
  } catch {
    throw refuse(what, url, "the answer is not JSON", text);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === "object"
    ? [parsed]
    : [];
  const out = new Map<string, HostUser>();
  for (const raw of list) {
    const u = toHostUser(raw, url);
    // Only the exact ids asked for: PHP's (int) answers user 2 for "2abc" or "02".
    if (u && ids.includes(u.user_id)) out.set(u.user_id, u);
  }
  return out;
}

/**
 * URL_getUsersHash: POST `id=1`, answer the user's hash as plain text (the rule is HASH_RULE in
 * answers.ts). Null when the site answered nothing: it has no hash for this user. Anything that
 * is not a hash is a HostError, never a key someone could type.
 */
export async function fetchUserHash(cfg: Config, id: string): Promise<string | null> {
  const url = cfg.usersHashUrl!;
  const what = "URL_getUsersHash";
  const text = await postForm(cfg, url, `id=${encodeURIComponent(id)}`, what, HASH_MAX_BYTES);
  const answer = parseHashAnswer(text);
  if (answer.kind === "bad") throw refuse(what, url, answer.why, text);
  return answer.kind === "hash" ? answer.hash : null;
}
