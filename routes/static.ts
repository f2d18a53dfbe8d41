import { Hono } from "hono";
import { bundle } from "../services/assets/bundle.ts";
import type { AppEnv } from "../services/core/context.ts";

/**
 * Serves a browser bundle with its ETag (gzip when accepted); a matching If-None-Match gets 304.
 * Asked for with its build id (`?v=`, as widget.js asks for its lazy parts) it never changes, so
 * browsers may keep it for good.
 */
export function bundleRoute(name: string) {
  return async (c: import("hono").Context<AppEnv>) => {
    const b = await bundle(name);
    const headers = {
      "content-type": "text/javascript; charset=utf-8",
      etag: b.etag,
      // Otherwise revalidate often (the tag is a content hash: a 304 costs one tiny round trip).
      "cache-control": c.req.query("v") === b.build
        ? "public, max-age=31536000, immutable"
        : "public, max-age=300, must-revalidate",
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

/** Every browser bundle (islands/<name>/main.ts): built at start so no visitor waits for one. */
export const BUNDLES = [
  "widget",
  "widget_extra",
  "widget_chat",
  "widget_look",
  "widget_en",
  "widget_ru",
  "widget_compat",
  "admin",
] as const;

/** Files served as they are from `static/` (read once per process). */
const FILES: Record<string, string> = {
  "/favicon.ico": "image/x-icon",
  "/favicon.svg": "image/svg+xml",
};
const staticDir = new URL("../static/", import.meta.url);
const files = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

function staticFile(path: string) {
  let p = files.get(path);
  if (!p) {
    p = Deno.readFile(new URL(path.slice(1), staticDir));
    p.catch(() => files.delete(path));
    files.set(path, p);
  }
  return p;
}

/**
 * `/widget.js`, the parts it loads on demand (`/widget-extra.js`, `/widget-look.js`, `/widget-en.js`,
 * `/widget-ru.js`, `/widget-compat.js`) and
 * `/admin.js`, bundled from `islands/<name>/main.ts`; the favicon from `static/`.
 */
export function staticRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/widget.js", bundleRoute("widget"));
  app.get("/widget-extra.js", bundleRoute("widget_extra"));
  app.get("/widget-chat.js", bundleRoute("widget_chat"));
  app.get("/widget-look.js", bundleRoute("widget_look"));
  app.get("/widget-en.js", bundleRoute("widget_en"));
  app.get("/widget-ru.js", bundleRoute("widget_ru"));
  app.get("/widget-compat.js", bundleRoute("widget_compat"));
  app.get("/admin.js", bundleRoute("admin"));
  for (const [path, type] of Object.entries(FILES)) {
    app.get(path, async (c) =>
      c.body(await staticFile(path), 200, {
        "content-type": type,
        "cache-control": "public, max-age=86400",
        "x-content-type-options": "nosniff",
      }));
  }
  return app;
}
