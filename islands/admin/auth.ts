/**
 * Signing the admin in: the server keeps the session in an HttpOnly cookie shared by every tab
 * (routes/admin/session.ts), so a reload or a link opened in a new tab is signed in already.
 * Ways in: a one-time link the host site minted (`/admin#signin=<code>`, taken out of the address
 * bar at once), a postMessage from the host page that opened or frames this one, or the form.
 * Tabs tell each other about sign-in and sign-out over a BroadcastChannel.
 */
import { call } from "./api.ts";

export interface SessionUser {
  user_id: string;
  name: string;
  is_admin: boolean;
  role?: "admin" | "moderator";
}

export interface Session {
  csrf: string;
  expires_at: string;
  user: SessionUser;
}

const SESSION = "/api/v1/admin/session";

export function signIn(userId: string, userKey: string): Promise<Session> {
  return call<Session>("POST", SESSION, {
    json: { user_id: userId, user_key: userKey },
    auth: false,
  });
}

export function signInWithCode(code: string): Promise<Session> {
  return call<Session>("POST", SESSION, { json: { code }, auth: false });
}

/** The cookie's session; "ended" when the browser had one that is gone; null when none. */
export async function currentSession(): Promise<Session | "ended" | null> {
  try {
    return await call<Session>("GET", SESSION, { auth: false });
  } catch (e) {
    return (e as { code?: string }).code === "session_ended" ? "ended" : null;
  }
}

/** Ends this admin's page sessions everywhere (every tab and browser). */
export async function signOut() {
  await call("DELETE", SESSION, { auth: false }).catch(() => {});
  tabs?.postMessage("signed-out");
}

const tabs = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel("parley-admin");

/** Tells other tabs that this one signed in (they pick the cookie session up). */
export function announceSignIn() {
  tabs?.postMessage("signed-in");
}

/** Calls `fn` when another tab signed in or out. */
export function onOtherTab(fn: (what: "signed-in" | "signed-out") => void) {
  if (tabs) tabs.onmessage = (e) => fn(e.data);
}

/** A one-time sign-in code in the fragment (`#signin=…`), taken out of the address bar. */
export function codeFromUrl(): string | null {
  const m = /^#signin=([\w-]+)$/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, "", location.pathname + location.search + "#/monitor");
  return m[1];
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
