import { Hono } from "hono";
import { mintSignInCode } from "../../kv/people/admin_signin.ts";
import { isAdminNow, type Role, setRole } from "../../kv/people/roles.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest, forbidden } from "../../services/core/errors.ts";
import { intQuery, optionalJson, readJson } from "../middleware.ts";
import { userParam } from "./guard.ts";

const ROLES = new Set<unknown>(["admin", "user", null]);

/**
 * Admin rights and admin sign-in on the site's behalf (under `/api/v1/manage`, behind its guard):
 * grant or withdraw admin rights without a restart, and mint one-time `/admin` sign-in links.
 */
export function manageAdminRoutes(deps: Deps) {
  const { kv, cfg, bus } = deps;
  const app = new Hono<AppEnv>();

  // {"role": "admin" | "user"} overrides PARLEY_ADMIN_IDS for this user; null goes back to it.
  app.put("/users/:id/role", async (c) => {
    const uid = userParam(c.req.param("id"));
    const role = (await readJson(c)).role;
    if (!ROLES.has(role)) {
      throw badRequest("invalid_role", 'role must be "admin", "user" or null', "role");
    }
    await setRole(kv, uid, role as Role | null);
    // Open admin streams of theirs re-check their rights now (other instances: the watch).
    bus.revoked(uid);
    return c.json({ user_id: uid, role, is_admin: await isAdminNow(kv, cfg, uid) });
  });

  // A one-time link that signs this admin in to /admin (the page keeps a cookie session).
  app.post("/users/:id/admin-signin", async (c) => {
    const uid = userParam(c.req.param("id"));
    await optionalJson(c);
    if (!await isAdminNow(kv, cfg, uid)) {
      throw forbidden("not_admin", "this user is not an admin (PARLEY_ADMIN_IDS or role)");
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
