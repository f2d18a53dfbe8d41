import { Hono } from "hono";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { logStream } from "../../services/realtime/log_stream.ts";
import { askedCursor, requireUser } from "../middleware.ts";

/**
 * `GET /api/v1/events`: the caller's own event log as SSE (see logStream). A browser's
 * EventSource cannot send a header: it opens `?ticket=` (purpose `events`, spent on use).
 */
export function eventRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps, "events"));
  app.get("/", (c) => {
    const uid = c.get("uid");
    return logStream(deps, uid, askedCursor(c), {
      readyData: { user_id: uid },
      token: c.get("token"),
      session: c.get("session"),
      owner: uid,
      presenceOf: uid,
    });
  });
  return app;
}
