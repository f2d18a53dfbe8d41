import { Hono } from "hono";
import { bundle } from "../services/bundle.ts";
import type { AppEnv } from "../services/context.ts";

/** Serves a browser bundle with its ETag (gzip when accepted); a matching If-None-Match gets 304. */
export function bundleRoute(name: string) {
  return async (c: import("hono").Context<AppEnv>) => {
    const b = await bundle(name);
    const headers = {
      "content-type": "text/javascript; charset=utf-8",
      etag: b.etag,
      // Revalidate often (the tag is a content hash, so a 304 costs one tiny round trip).
      "cache-control": "public, max-age=300, must-revalidate",
      "x-content-type-options": "nosniff",
      "access-control-allow-origin": "*",
      vary: "accept-encoding",
    };
    if (c.req.header("if-none-match") === b.etag) return c.body(null, 304, headers);
    if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) {
      return c.body(b.gzip, 200, { ...headers, "content-encoding": "gzip" });
    }
    return c.body(b.code, 200, headers);
  };
}

/** `/widget.js` and `/admin.js`, bundled from `islands/<name>/main.ts`. */
export function staticRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/widget.js", bundleRoute("widget"));
  app.get("/admin.js", bundleRoute("admin"));
  return app;
}
