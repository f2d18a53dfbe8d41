/**
 * The admin page's session: an `HttpOnly`, `SameSite=Strict` cookie (`Secure` on https) scoped to
 * `/api/v1/admin`, so every tab of the browser shares one session, a reload keeps it, and no key
 * ever sits in a URL. Writes with the cookie must echo the session's CSRF value in
 * `X-Parley-CSRF` and come from this origin. Bearer tokens (scripts, the widget's session) keep
 * working as before. See docs/admin.md.
 */
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { enforceRate } from "../../kv/ratelimit.ts";
import { redeemSignInCode } from "../../kv/people/admin_signin.ts";
import { type StaffRole, staffRoleNow } from "../../kv/people/roles.ts";
import {
  createSession,
  getSession,
  revokeSession,
  revokeSessions,
} from "../../kv/people/sessions.ts";
import { getProfile, publicProfile } from "../../kv/people/users.ts";
import type { Session } from "../../kv/types.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { timingSafeEqual } from "../../services/core/crypto.ts";
import { ApiError, forbidden, unauthorized } from "../../services/core/errors.ts";
import { isUserId } from "../../services/core/ids.ts";
import { verifyUserKey } from "../../services/host/auth.ts";
import { readJson } from "../middleware.ts";

export const ADMIN_COOKIE = "parley_admin";
/** Sign-in attempts with a key, per user id and minute (the key checker must stay slow). */
const SIGNIN_RATE = { count: 10, windowMs: 60_000 };

const signInFailed = () =>
  new ApiError(401, "sign_in_failed", "this id and key, or this link, do not sign in an admin");

function secure(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
}

/**
 * The cookie header. No Path: the default is the request's directory, `…/api/v1/admin`, right
 * behind any path prefix a proxy adds (hono's setCookie would force Path=/).
 */
function cookieHeader(c: Context, value: string, maxAge: number): string {
  return `${ADMIN_COOKIE}=${value}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict` +
    (secure(c) ? "; Secure" : "");
}

/** A write from another origin (a form post, a script elsewhere) never rides on the cookie. */
function sameOrigin(c: Context): boolean {
  const origin = c.req.header("origin");
  if (!origin) return c.req.header("sec-fetch-site") !== "cross-site";
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The admin API's caller: `Authorization: Bearer` (any session), or the admin cookie (only an
 * admin cookie session; writes need `X-Parley-CSRF` and this origin, else 403 `csrf_failed`).
 */
export function requireAdminCaller(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const bearer = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    const token = bearer || getCookie(c, ADMIN_COOKIE) || "";
    if (!token) throw unauthorized();
    const session = await getSession(deps.kv, token);
    if (!session || (!bearer && session.kind !== "admin")) {
      // The page shows "your session has ended" rather than a bare sign-in form.
      if (!bearer) throw new ApiError(401, "session_ended", "the admin session has ended");
      throw unauthorized("session expired or unknown; sign in again");
    }
    if (!bearer && c.req.method !== "GET" && c.req.method !== "HEAD") {
      const sent = c.req.header("x-parley-csrf") ?? "";
      if (!sameOrigin(c) || !sent || !await timingSafeEqual(sent, session.csrf ?? "")) {
        throw forbidden("csrf_failed", "this write lacks the page's X-Parley-CSRF value");
      }
    }
    c.set("uid", session.user_id);
    c.set("token", token);
    await next();
  };
}

async function describe(deps: Deps, session: Session, role: StaffRole) {
  const profile = await getProfile(deps.kv, deps.cfg, session.user_id);
  return {
    user: { ...publicProfile(profile), is_admin: role === "admin", role },
    csrf: session.csrf ?? null,
    expires_at: new Date(session.expires_at).toISOString(),
  };
}

/** `POST|GET|DELETE /api/v1/admin/session`: sign in (key or one-time code), who am I, sign out. */
export function adminSessionRoutes(deps: Deps) {
  const { kv, cfg, bus } = deps;
  const app = new Hono<AppEnv>();

  app.post("/", async (c) => {
    if (!sameOrigin(c)) throw forbidden("csrf_failed", "sign in from the admin page itself");
    const body = await readJson(c);
    let uid: string | null = null;
    if (typeof body.code === "string") {
      uid = await redeemSignInCode(kv, body.code);
    } else {
      const id = typeof body.user_id === "number" ? String(body.user_id) : body.user_id;
      const key = body.user_key;
      if (typeof id !== "string" || !isUserId(id) || typeof key !== "string") throw signInFailed();
      await enforceRate(kv, "admin_signin", id, SIGNIN_RATE);
      // Wrong key, a valid key of a non-admin, an unreachable host: one answer for all.
      if (await verifyUserKey(kv, cfg, id, key).catch(() => false)) uid = id;
    }
    const role = uid ? await staffRoleNow(kv, cfg, uid) : null;
    if (!uid || !role) throw signInFailed();
    const { token, session } = await createSession(kv, uid, cfg.sessionTtlSeconds, "admin");
    c.header("set-cookie", cookieHeader(c, token, cfg.sessionTtlSeconds));
    return c.json(await describe(deps, session, role));
  });

  app.use("*", requireAdminCaller(deps));

  app.get("/", async (c) => {
    const session = await getSession(kv, c.get("token"));
    const role = session ? await staffRoleNow(kv, cfg, session.user_id) : null;
    if (!session || !role) throw signInFailed();
    return c.json(await describe(deps, session, role));
  });

  // Signs this admin out of the admin page everywhere: every tab and browser, open streams too.
  app.delete("/", async (c) => {
    const uid = c.get("uid");
    await revokeSession(kv, c.get("token"));
    const ended = await revokeSessions(kv, uid, (s) => s?.kind === "admin");
    bus.revoked(uid);
    c.header("set-cookie", cookieHeader(c, "", 0));
    return c.json({ signed_out: true, sessions_ended: ended + 1 });
  });
  return app;
}
