import { Hono } from "hono";
import { CONTACT_TABS, type ContactTab } from "../../kv/people/contact_index.ts";
import { listContacts } from "../../kv/people/contact_list.ts";
import { syncContacts } from "../../kv/people/relations.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest } from "../../services/core/errors.ts";
import { intQuery, requireUser } from "../middleware.ts";

/**
 * `GET /api/v1/contacts?tab=all|favourites|blocked&q=&limit=&cursor=`: the caller's contacts in
 * name order, searchable by name or login → `{contacts: [...], next_cursor}`.
 */
export function contactRoutes(deps: Deps) {
  const { kv, cfg } = deps;
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));
  app.get("/", async (c) => {
    const uid = c.get("uid");
    const tab = (c.req.query("tab") || "all") as ContactTab;
    if (!CONTACT_TABS.includes(tab)) {
      throw badRequest("invalid_query", "tab must be all, favourites or blocked", "tab");
    }
    const q = c.req.query("q") ?? "";
    if (q.length > 100) throw badRequest("invalid_query", "q must be at most 100 characters", "q");
    const limit = intQuery(c, "limit", 50, 1, 200);
    const cursor = c.req.query("cursor") || undefined;
    await syncContacts(kv, cfg, uid);
    return c.json(await listContacts(kv, cfg, uid, { tab, q, limit, cursor }));
  });
  return app;
}
