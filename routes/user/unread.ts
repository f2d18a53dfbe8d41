import { Hono } from "hono";
import { unreadSummary } from "../../kv/messaging/messages.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { requireUser } from "../middleware.ts";

/** `GET /api/v1/unread`: `{total, by_user}` for the caller. */
export function unreadRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));
  app.get("/", async (c) => c.json(await unreadSummary(deps.kv, c.get("uid"))));
  return app;
}
