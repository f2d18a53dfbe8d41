/**
 * Signing the admin in with the widget's credentials (user_id + user_key), from the URL
 * (`/admin?user_id=..&user_key=..`, removed from the address bar at once), a postMessage from the
 * host page that opened or framed this one, or the sign-in form. The session token is kept in
 * sessionStorage (this tab only) until it expires.
 */
import { call } from "./api.ts";

export interface SessionUser {
  user_id: string;
  name: string;
  is_admin: boolean;
}

export interface Session {
  token: string;
  expires_at: string;
  user: SessionUser;
}

const STORAGE = "parley-admin-session";

export async function signIn(userId: string, userKey: string): Promise<Session> {
  const s = await call<Session>("POST", "/api/v1/session", {
    json: { user_id: userId, user_key: userKey },
    auth: false,
  });
  if (s.user.is_admin) sessionStorage.setItem(STORAGE, JSON.stringify(s));
  return s;
}

export function savedSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORAGE) ?? "null") as Session | null;
    return s && Date.parse(s.expires_at) > Date.now() + 60_000 ? s : null;
  } catch {
    return null;
  }
}

export function forget() {
  sessionStorage.removeItem(STORAGE);
}

/** Credentials passed in the URL, taken out of the address bar (and history) right away. */
export function credentialsFromUrl(): { userId: string; userKey: string } | null {
  const u = new URL(location.href);
  const userId = u.searchParams.get("user_id");
  const userKey = u.searchParams.get("user_key");
  if (!userId || !userKey) return null;
  u.searchParams.delete("user_id");
  u.searchParams.delete("user_key");
  history.replaceState(null, "", u.toString());
  return { userId, userKey };
}

/**
 * Credentials from the host page: `{type: "parley-admin-signin", user_id, user_key}` posted by
 * the window that opened or frames this page. Returns the stop function.
 */
export function listenForHost(fn: (userId: string, userKey: string) => void): () => void {
  const onMessage = (e: MessageEvent) => {
    if (e.source !== globalThis.opener && e.source !== globalThis.parent) return;
    const d = e.data as { type?: string; user_id?: unknown; user_key?: unknown } | null;
    if (d?.type !== "parley-admin-signin") return;
    if (
      typeof d.user_key !== "string" ||
      (typeof d.user_id !== "string" && typeof d.user_id !== "number")
    ) {
      return;
    }
    fn(String(d.user_id), d.user_key);
  };
  addEventListener("message", onMessage);
  const framed = globalThis.parent !== (globalThis as unknown);
  const host: Window | null = globalThis.opener ?? (framed ? globalThis.parent : null);
  host?.postMessage({ type: "parley-admin-ready" }, "*");
  return () => removeEventListener("message", onMessage);
}
