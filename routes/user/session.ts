import { type Context, Hono } from "hono";
import type { UserProfile } from "../../kv/types.ts";
import { banNotice, getBan } from "../../kv/moderation/bans.ts";
import { isAdminNow } from "../../kv/people/roles.ts";
import { countFailure, refuseIfLocked } from "../../kv/people/signin_attempts.ts";
import { createSession, revokeSession } from "../../kv/people/sessions.ts";
import { confirmedProfile, getProfile, publicProfile } from "../../kv/people/users.ts";
import { verifyUserKey } from "../../services/host/auth.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { ApiError, badRequest, unauthorized } from "../../services/core/errors.ts";
import { normaliseUserId, SYSTEM_USER } from "../../services/core/ids.ts";
import { formatIp } from "../../services/host/ips.ts";
import { pickLang } from "../../services/core/lang.ts";
import { requestIp } from "../client_ip.ts";
import { readJson, requireUser } from "../middleware.ts";

/**
 * What the widget is told about its signed-in user: the profile, admin or not, and whether they
 * may send. A banned user may read, not send: the widget shows `error` as its read-only banner.
 */
async function signedInUser(deps: Deps, uid: string, profile: UserProfile, c: Context) {
  const { kv, cfg } = deps;
  const ban = await getBan(kv, uid);
  const banned = ban !== null;
  const lang = pickLang(c.req.query("lang"), c.req.header("accept-language"));
  return {
    ...publicProfile(profile),
    is_admin: await isAdminNow(kv, cfg, uid),
    read_only: Boolean(profile.error) || banned,
    error: profile.error || (ban ? banNotice(lang, ban.until) : ""),
    banned,
    // When a time-limited ban ends (null: until lifted, or not banned).
    ban_until: ban?.until ?? null,
  };
}

/**
 * `POST /api/v1/session`: trade the site's user_id + user_key for a short-lived bearer token.
 * Failed attempts are limited per user id and per client address (429 before any check); a key
 * accepted by the host's hash callback also needs the users-info answer to name that exact id.
 * `GET /api/v1/session`: the bearer's user read again (ban state), with the server's time.
 * `DELETE /api/v1/session`: end the bearer's session (its open streams close at once).
 */
export function sessionRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    const { kv, cfg } = deps;
    const body = await readJson(c);
    const uid = normaliseUserId(body.user_id);
    if (uid === SYSTEM_USER) throw unauthorized("this user id is reserved");
    const key = body.user_key;
    if (typeof key !== "string" || !key) {
      throw badRequest("invalid_user_key", "user_key must be a non-empty string", "user_key");
    }
    const ip = requestIp(c, cfg);
    const ipText = ip ? formatIp(ip) : "unknown";
    await refuseIfLocked(kv, cfg, uid, ipText);
    let profile;
    try {
      const how = await verifyUserKey(kv, cfg, uid, key);
      if (!how) throw unauthorized("user_key is not valid");
      profile = how === "callback"
        ? await confirmedProfile(kv, cfg, uid)
        : await getProfile(kv, cfg, uid);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        await countFailure(kv, cfg, uid, ipText);
      }
      throw e;
    }
    const { token, session } = await createSession(kv, uid, cfg.sessionTtlSeconds);
    return c.json({
      token,
      expires_at: new Date(session.expires_at).toISOString(),
      user: await signedInUser(deps, uid, profile, c),
    });
  });
  // The bearer's user as sign-in describes them, read again now, and the server's clock: a
  // widget whose time-limited ban ends re-reads this at `ban_until` (measured on `now`, not on
  // the browser's clock) instead of waiting for the hourly run to push the unban.
  app.get("/", requireUser(deps), async (c) => {
    const uid = c.get("uid");
    const profile = await getProfile(deps.kv, deps.cfg, uid);
    return c.json({
      user: await signedInUser(deps, uid, profile, c),
      now: new Date().toISOString(),
    });
  });
  app.delete("/", requireUser(deps), async (c) => {
    const uid = await revokeSession(deps.kv, c.get("token"));
    if (uid) deps.bus.revoked(uid);
    return c.json({ signed_out: true });
  });
  return app;
}
