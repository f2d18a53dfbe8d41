import type { Config } from "../core/config.ts";
import { ApiError } from "../core/errors.ts";
import { log } from "../core/log.ts";

/** A user as the host site's URL_getUsersInfo answers it (fields may be missing or mistyped). */
export interface HostUser {
  user_id: string;
  name: string;
  login: string;
  avatar_url: string | null;
  city: string;
  age: number | null;
  status: string;
  error: string;
}

/** The host site did not answer, or answered something we cannot use. */
export class HostError extends ApiError {
  constructor(what: string) {
    super(502, "host_unavailable", `the site did not answer ${what} properly; try again later`);
  }
}

/**
 * Parses JSON the way PHP sites write it: tolerates a trailing comma before `]` or `}` (the
 * original's own example has one) and a byte-order mark.
 */
export function parseLenientJson(text: string): unknown {
  let out = "";
  let inString = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (inString) {
      out += ch;
      if (ch === "\\") out += s[++i] ?? "";
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ",") {
      let j = i + 1;
      while (j < s.length && /\s/.test(s[j])) j++;
      if (s[j] === "]" || s[j] === "}") continue;
    }
    out += ch;
  }
  return JSON.parse(out);
}

function str(v: unknown, max: number): string {
  if (typeof v === "number") return String(v);
  return typeof v === "string" ? v.trim().slice(0, max) : "";
}

/** Only http(s) avatars, resolved against the callback's URL; anything else becomes null. */
export function safeAvatarUrl(v: unknown, base: string): string | null {
  if (typeof v !== "string" || !v.trim()) return null;
  try {
    const u = new URL(v.trim(), base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Turns one object of the host's answer into a HostUser; null if it has no usable id. */
export function toHostUser(raw: unknown, base: string): HostUser | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const id = str(r.user_id ?? r.id, 64);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  const age = Number(r.age);
  return {
    user_id: id,
    name: str(r.name, 100),
    login: str(r.login, 64),
    avatar_url: safeAvatarUrl(r.avatar_url, base),
    city: str(r.city, 100),
    age: r.age === null || r.age === undefined || r.age === "" || !Number.isFinite(age)
      ? null
      : Math.trunc(age),
    status: str(r.status, 100),
    error: str(r.error, 500),
  };
}

async function postForm(cfg: Config, url: string, body: string, what: string): Promise<string> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      signal: AbortSignal.timeout(cfg.hostTimeoutMs),
    });
    const text = await res.text();
    if (!res.ok) {
      log.warn(`host callback ${what} answered HTTP ${res.status}`, { url });
      throw new HostError(what);
    }
    return text;
  } catch (e) {
    if (e instanceof HostError) throw e;
    log.warn(`host callback ${what} failed: ${(e as Error).message}`, { url });
    throw new HostError(what);
  }
}

/** URL_getUsersInfo: POST `users=1,2`, answer a JSON array of user objects. */
export async function fetchUsersInfo(cfg: Config, ids: string[]): Promise<Map<string, HostUser>> {
  const url = cfg.usersInfoUrl!;
  const text = await postForm(cfg, url, `users=${ids.join(",")}`, "URL_getUsersInfo");
  let parsed: unknown;
  try {
    parsed = parseLenientJson(text);
  } catch {
    log.warn("host callback URL_getUsersInfo answered something that is not JSON", {
      url,
      start: text.slice(0, 80),
    });
    throw new HostError("URL_getUsersInfo");
  }
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === "object"
    ? [parsed]
    : [];
  const out = new Map<string, HostUser>();
  for (const raw of list) {
    const u = toHostUser(raw, url);
    if (u && ids.includes(u.user_id)) out.set(u.user_id, u);
  }
  return out;
}

/** URL_getUsersHash: POST `id=1`, answer the user's hash as a plain string. */
export async function fetchUserHash(cfg: Config, id: string): Promise<string> {
  const text =
    (await postForm(cfg, cfg.usersHashUrl!, `id=${encodeURIComponent(id)}`, "URL_getUsersHash"))
      .trim();
  // Some PHP sites echo the hash as a JSON string.
  const hash = text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  if (!hash || hash.length > 512) {
    log.warn("host callback URL_getUsersHash answered an empty or oversized hash", { id });
    throw new HostError("URL_getUsersHash");
  }
  return hash;
}
