import { Hono } from "hono";
import { banNotice, getBan } from "../../kv/moderation/actions.ts";
import { isAdminNow } from "../../kv/people/roles.ts";
import { createSession, revokeSession } from "../../kv/people/sessions.ts";
import { getProfile, publicProfile } from "../../kv/people/users.ts";
import { verifyUserKey } from "../../services/host/auth.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest, unauthorized } from "../../services/core/errors.ts";
import { normaliseUserId, SYSTEM_USER } from "../../services/core/ids.ts";
import { pickLang } from "../../services/core/lang.ts";
import { readJson, requireUser } from "../middleware.ts";

/**
 * `POST /api/v1/session`: trade the site's user_id + user_key for a short-lived bearer token;
 * `DELETE /api/v1/session`: end the bearer's session (its open streams close at once).
 */
export function sessionRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    const body = await readJson(c);
    const uid = normaliseUserId(body.user_id);
    if (uid === SYSTEM_USER) throw unauthorized("this user id is reserved");
    const key = body.user_key;
    if (typeof key !== "string" || !key) {
      throw badRequest("invalid_user_key", "user_key must be a non-empty string", "user_key");
    }
    if (!await verifyUserKey(deps.kv, deps.cfg, uid, key)) {
      throw unauthorized("user_key is not valid");
    }
    const profile = await getProfile(deps.kv, deps.cfg, uid);
    // A banned user may read, not send: the widget shows `error` as its read-only banner.
    const banned = (await getBan(deps.kv, uid)) !== null;
    const lang = pickLang(c.req.query("lang"), c.req.header("accept-language"));
    const { token, session } = await createSession(deps.kv, uid, deps.cfg.sessionTtlSeconds);
    return c.json({
      token,
      expires_at: new Date(session.expires_at).toISOString(),
      user: {
        ...publicProfile(profile),
        is_admin: await isAdminNow(deps.kv, deps.cfg, uid),
        read_only: Boolean(profile.error) || banned,
        error: profile.error || (banned ? banNotice(lang) : ""),
        banned,
      },
    });
  });
  app.delete("/", requireUser(deps), async (c) => {
    const uid = await revokeSession(deps.kv, c.get("token"));
    if (uid) deps.bus.revoked(uid);
    return c.json({ signed_out: true });
  });
  return app;
}
