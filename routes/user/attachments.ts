import { type Context, Hono } from "hono";
import {
  type AttachmentRecord,
  getAttachment,
  readAttachmentBytes,
} from "../../kv/media/attachments.ts";
import { isAdminNow } from "../../kv/people/roles.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { notFound } from "../../services/core/errors.ts";
import { isUlid } from "../../services/core/ids.ts";
import { requireUser } from "../middleware.ts";
import { readThumb } from "../../kv/media/thumbnails.ts";

/**
 * Headers of every image answer. The bytes are the user's, so the browser must never sniff them
 * into something else or run anything in their context; their content never changes for an id.
 */
function imageHeaders(etag: string): Record<string, string> {
  return {
    "ETag": etag,
    "Cache-Control": "private, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Content-Disposition": "inline",
    // The URL may carry an image ?ticket=; do not leak it to anything the image could link to.
    "Referrer-Policy": "no-referrer",
  };
}

/** If-None-Match: a list of entity tags (weak or strong) or `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/**
 * `GET /api/v1/attachments/:id`: the image, only for the dialog's two members and admins (Bearer,
 * or an `images` `?ticket=` so an <img src> works). Anyone else gets 404, as if it did not exist.
 */
export function attachmentRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps, "images"));
  app.get("/:id", async (c) => {
    const uid = c.get("uid");
    const admin = () => isAdminNow(deps.kv, deps.cfg, uid);
    return await attachmentResponse(
      c,
      deps,
      async (rec) => uid === rec.from || uid === rec.to || await admin(),
    );
  });
  return app;
}

/**
 * The image `:id` if `mayRead` allows it, else 404 (also served by the admin API). With
 * `?size=thumb`, its stored preview (kv/media/thumbnails.ts), or the image itself if it has none.
 */
export async function attachmentResponse(
  c: Context<AppEnv>,
  deps: Deps,
  mayRead: (rec: AttachmentRecord) => boolean | Promise<boolean>,
): Promise<Response> {
  const id = c.req.param("id") ?? "";
  const rec = isUlid(id) ? await getAttachment(deps.kv, id) : null;
  if (!rec || !await mayRead(rec)) throw notFound("attachment", "id");
  if (c.req.query("size") === "thumb" && rec.thumb) {
    const thumb = await readThumb(deps.kv, rec.id);
    if (thumb) {
      const tag = `"${rec.etag}-t"`;
      if (matches(c.req.header("if-none-match"), tag)) return c.body(null, 304, imageHeaders(tag));
      return c.body(new Uint8Array(thumb), 200, {
        ...imageHeaders(tag),
        "Content-Type": rec.thumb.type,
        "Content-Length": String(thumb.length),
      });
    }
  }
  const etag = `"${rec.etag}"`;
  if (matches(c.req.header("if-none-match"), etag)) {
    return c.body(null, 304, imageHeaders(etag));
  }
  const bytes = await readAttachmentBytes(deps.kv, rec);
  if (!bytes) throw notFound("attachment", "id");
  return c.body(bytes, 200, {
    ...imageHeaders(etag),
    "Content-Type": rec.type,
    "Content-Length": String(bytes.length),
  });
}
