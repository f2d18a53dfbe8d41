/** The REST client: JSON calls with the session token, re-signing in once when it expired. */
import { apiErr, errorOf } from "./api_error.ts";
import { S } from "./store.ts";
import type { Me } from "./types.ts";

let relogin: Promise<Me> | null = null;

/** `/api/v1/dialogs/<peer>`. */
export const dialogPath = (peer: string) => `/api/v1/dialogs/${encodeURIComponent(peer)}`;

/** Trades the host's user_id + user_key for a session token (`POST /api/v1/session`). */
export function login(): Promise<Me> {
  return relogin ??= call<{ token: string; expires_at: string; user: Me }>(
    "POST",
    "/api/v1/session",
    {
      user_id: String(S.opts.user_id),
      user_key: S.opts.user_key,
    },
    false,
  ).then((r) => {
    S.token = r.token;
    S.expires = Date.parse(r.expires_at);
    return S.me = r.user;
  }).finally(() => relogin = null);
}

/** One JSON request to the API; throws ApiErr. A 401 signs in again and retries once. */
export async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  retry = true,
): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${S.token}` };
  if (body) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(S.base + path, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw apiErr(0, "network");
  }
  if (res.status === 401 && retry) {
    await login();
    return call(method, path, body, false);
  }
  const text = await res.text();
  if (!res.ok) throw errorOf(res.status, text, res.headers.get("retry-after"));
  return JSON.parse(text);
}
