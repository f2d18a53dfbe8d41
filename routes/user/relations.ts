import { Hono } from "hono";
import { assertCanBlock, setBlock, setFavourite } from "../../kv/people/relations.ts";
import { getProfiles } from "../../kv/people/users.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { peerParam } from "./dialogs.ts";
import { enforceRate } from "../../kv/ratelimit.ts";
import { requireUser } from "../middleware.ts";

/**
 * Sets or clears `uid`'s favourite / block of `peer`: admins cannot be blocked, the peer's
 * profile is cached first (so the contact is filed by name), and the user's tabs sync through
 * a `contact` event. Used by the widget's routes and the manage API alike.
 */
export async function setRelation(
  deps: Deps,
  uid: string,
  peer: string,
  relation: "favourite" | "blocked",
  on: boolean,
) {
  const { kv, cfg } = deps;
  if (relation === "blocked" && on) await assertCanBlock(kv, cfg, peer);
  // Warms the profile cache (one host call in callback mode) so the contact is filed by name.
  if (on) await getProfiles(kv, cfg, [peer]);
  const set = relation === "favourite" ? setFavourite : setBlock;
  return await set(kv, uid, peer, on);
}

/**
 * `PUT|DELETE /:peer` for one relation: sets or clears it, idempotently, and syncs the caller's
 * other tabs through a `contact` event.
 */
function relationRoutes(deps: Deps, relation: "favourite" | "blocked") {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));
  const handle = (on: boolean) => async (c: import("hono").Context<AppEnv>) => {
    const uid = c.get("uid");
    const peer = peerParam(uid, c.req.param("peer") ?? "");
    await enforceRate(deps.kv, "relations", uid, deps.cfg.rateLimits.relations, "changes");
    const flags = await setRelation(deps, uid, peer, relation, on);
    return c.json({ [relation]: flags[relation] });
  };
  app.put("/:peer", handle(true));
  app.delete("/:peer", handle(false));
  return app;
}

/** `PUT|DELETE /api/v1/favourites/:peer` → `{favourite}`. */
export const favouriteRoutes = (deps: Deps) => relationRoutes(deps, "favourite");

/** `PUT|DELETE /api/v1/blocks/:peer` → `{blocked}`; admins cannot be blocked (403). */
export const blockRoutes = (deps: Deps) => relationRoutes(deps, "blocked");
