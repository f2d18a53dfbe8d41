import { Hono } from "hono";
import { mintSignInCode } from "../../kv/people/admin_signin.ts";
import { type Role, setRole, staffRoleNow } from "../../kv/people/roles.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest, forbidden } from "../../services/core/errors.ts";
import { intQuery, optionalJson, readJson } from "../middleware.ts";
import { userParam } from "./guard.ts";

const ROLES = new Set<unknown>(["admin", "moderator", "user", null]);

/**
 * Admin rights and admin sign-in on the site's behalf (under `/api/v1/manage`, behind its guard):
 * grant or withdraw admin rights without a restart, and mint one-time `/admin` sign-in links.
 */
export function manageAdminRoutes(deps: Deps) {
  const { kv, cfg, bus } = deps;
  const app = new Hono<AppEnv>();

  // {"role": "admin" | "moderator" | "user"} overrides PARLEY_ADMIN_IDS / PARLEY_MODERATOR_IDS
  // for this user; null goes back to them.
  app.put("/users/:id/role", async (c) => {
    const uid = userParam(c.req.param("id"));
    const role = (await readJson(c)).role;
    if (!ROLES.has(role)) {
      throw badRequest("invalid_role", 'role must be "admin", "moderator", "user" or null', "role");
    }
    await setRole(kv, uid, role as Role | null);
    // Open admin streams of theirs re-check their rights now (other instances: the watch).
    bus.revoked(uid);
    const now = await staffRoleNow(kv, cfg, uid);
    return c.json({
      user_id: uid,
      role,
      is_admin: now === "admin",
      is_moderator: now === "moderator",
    });
  });

  // A one-time link that signs this admin or moderator in to /admin (a cookie session).
  app.post("/users/:id/admin-signin", async (c) => {
    const uid = userParam(c.req.param("id"));
    await optionalJson(c);
    if (!await staffRoleNow(kv, cfg, uid)) {
      throw forbidden("not_admin", "this user is not an admin or moderator (env lists or role)");
    }
    const ttl = intQuery(c, "ttl", 120, 10, 600);
    const { code, expires_at } = await mintSignInCode(kv, uid, ttl);
    return c.json({
      user_id: uid,
      path: `/admin#signin=${code}`,
      expires_at: new Date(expires_at).toISOString(),
    });
  });
  return app;
}
