import { Hono } from "hono";
import { banUser, listBans } from "../../kv/moderation/bans.ts";
import { staffRoleNow } from "../../kv/people/roles.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { normaliseUserId } from "../../services/core/ids.ts";
import { intQuery, optionalJson } from "../middleware.ts";
import { banChangeFrom, knownUser, profilesFor, userQuery } from "./params.ts";

/**
 * `/api/v1/admin/bans` (behind the admin gate; moderators too): who is banned now, ban (for a
 * time or until lifted) and unban.
 */
export function adminBanRoutes(deps: Deps) {
  const { kv, cfg } = deps;
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const cursor = userQuery(c, "cursor");
    const page = await listBans(kv, { cursor, limit: intQuery(c, "limit", 50, 1, 200) });
    return c.json({ ...page, users: await profilesFor(deps, page.bans.map((b) => b.user_id)) });
  });

  // {reason?, duration? (seconds) | until? (ISO-8601)}; neither: until lifted.
  app.put("/:uid", async (c) => {
    const uid = normaliseUserId(c.req.param("uid"), "uid");
    // Staff get 403 cannot_ban_admin from banUser; anyone else must exist.
    if (!await staffRoleNow(kv, cfg, uid)) await knownUser(deps, uid);
    const change = banChangeFrom(await optionalJson(c));
    const { ban, audit } = await banUser(deps, uid, c.get("uid"), change);
    return c.json({ banned: true, ban, audit });
  });

  app.delete("/:uid", async (c) => {
    const uid = normaliseUserId(c.req.param("uid"), "uid");
    const { audit } = await banUser(deps, uid, c.get("uid"), { banned: false });
    return c.json({ banned: false, ban: null, audit });
  });
  return app;
}
