import { Hono } from "hono";
import { banUser } from "../../kv/moderation/bans.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { banChangeFrom } from "../admin/params.ts";
import { peerParam } from "../user/dialogs.ts";
import { userParam } from "./guard.ts";
import { optionalJson } from "../middleware.ts";
import { setRelation } from "../user/relations.ts";

/** The site's own name in the audit log for actions it takes through the manage API. */
export const MANAGE_ACTOR = "manage_api";

/**
 * Moderation on the site's behalf (mounted under `/api/v1/manage`, behind its guard): ban and
 * unban (written to the same audit log as the admin page's actions), block and unblock (the same
 * as the user pressing "block" in the widget).
 */
export function manageModerationRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.put("/users/:id/ban", async (c) => {
    const uid = userParam(c.req.param("id"));
    const change = banChangeFrom(await optionalJson(c));
    const { ban, audit } = await banUser(deps, uid, MANAGE_ACTOR, change);
    return c.json({ user_id: uid, banned: true, ban, audit });
  });

  app.delete("/users/:id/ban", async (c) => {
    const uid = userParam(c.req.param("id"));
    const { audit } = await banUser(deps, uid, MANAGE_ACTOR, { banned: false });
    return c.json({ user_id: uid, banned: false, audit });
  });

  // `:id` stops (or again accepts) messages from `:peer`.
  const block = (on: boolean) => async (c: import("hono").Context<AppEnv>) => {
    const uid = userParam(c.req.param("id") ?? "");
    const peer = peerParam(uid, c.req.param("peer") ?? "");
    const flags = await setRelation(deps, uid, peer, "blocked", on);
    return c.json({ user_id: uid, peer, blocked: flags.blocked });
  };
  app.put("/users/:id/blocks/:peer", block(true));
  app.delete("/users/:id/blocks/:peer", block(false));

  return app;
}
