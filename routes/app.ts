import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv, Deps } from "../services/core/context.ts";
import { ApiError } from "../services/core/errors.ts";
import { log } from "../services/core/log.ts";
import { apiCors } from "./cors.ts";
import { attachmentRoutes } from "./user/attachments.ts";
import { complaintRoutes } from "./user/complaints.ts";
import { adminRoutes } from "./admin/api.ts";
import { adminPageRoutes } from "./admin/page.ts";
import { adminSessionRoutes } from "./admin/session.ts";
import { dialogRoutes } from "./user/dialogs.ts";
import { eventRoutes } from "./user/events.ts";
import { featureRoutes } from "./user/features.ts";
import { messageRoutes } from "./user/messages.ts";
import { manageRoutes } from "./manage/api.ts";
import { contactRoutes } from "./user/contacts.ts";
import { blockRoutes, favouriteRoutes } from "./user/relations.ts";
import { sessionRoutes } from "./user/session.ts";
import { staticRoutes } from "./static.ts";
import { ticketRoutes } from "./user/tickets.ts";
import { unreadRoutes } from "./user/unread.ts";

/** Largest JSON body any route accepts. */
export const JSON_LIMIT = 64 * 1024;
/** Largest body of a message send (an image plus its text, as multipart). */
export const UPLOAD_LIMIT = 6 * 1024 * 1024;

/** Builds the whole HTTP app; main.ts and the tests call this with their own deps. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  const origins = deps.cfg.allowedOrigins;

  app.use("/api/*", apiCors(origins));
  app.use("/api/*", (c, next) => {
    const upload = c.req.method === "POST" && /\/messages$/.test(c.req.path);
    return bodyLimit({
      maxSize: upload ? UPLOAD_LIMIT : JSON_LIMIT,
      onError: () => {
        // A multipart send this big can only be an oversized image: say so, as the widget expects.
        if (upload && (c.req.header("content-type") ?? "").startsWith("multipart/")) {
          throw new ApiError(413, "image_too_large", "the image is larger than 5 MB", "image");
        }
        throw new ApiError(
          413,
          "body_too_large",
          `the body is larger than ${upload ? "6 MB" : "64 KB"}`,
        );
      },
    })(c, next);
  });

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.route("/", staticRoutes());
  app.route("/api/v1/session", sessionRoutes(deps));
  app.route("/api/v1/dialogs", dialogRoutes(deps));
  app.route("/api/v1/unread", unreadRoutes(deps));
  app.route("/api/v1/tickets", ticketRoutes(deps));
  app.route("/api/v1/events", eventRoutes(deps));
  app.route("/api/v1/attachments", attachmentRoutes(deps));
  app.route("/api/v1/complaints", complaintRoutes(deps));
  app.route("/api/v1/messages", messageRoutes(deps));
  app.route("/api/v1/features", featureRoutes(deps));
  app.route("/api/v1/manage", manageRoutes(deps));
  // Before the admin API: signing in needs no session yet.
  app.route("/api/v1/admin/session", adminSessionRoutes(deps));
  app.route("/api/v1/admin", adminRoutes(deps));
  app.route("/", adminPageRoutes(deps));
  app.route("/api/v1/contacts", contactRoutes(deps));
  app.route("/api/v1/favourites", favouriteRoutes(deps));
  app.route("/api/v1/blocks", blockRoutes(deps));

  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `no route ${c.req.method} ${c.req.path}` } }, 404)
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json(err.body(), err.status, err.headers);
    }
    const status = (err as { status?: number }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return c.json({ error: { code: "bad_request", message: err.message } }, status as 400);
    }
    log.error(`unhandled error on ${c.req.method} ${c.req.path}: ${err.stack ?? err}`);
    return c.json({ error: { code: "internal", message: "internal server error" } }, 500);
  });
  return app;
}
