import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

/** What the widget's cross-origin calls need: its headers, and Retry-After readable on a 429. */
const OPTIONS = {
  allowHeaders: ["Authorization", "Content-Type", "Last-Event-ID"],
  allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
  exposeHeaders: ["Retry-After"],
  maxAge: 600,
};

/**
 * CORS for `/api/*`, answering as Hono's cors middleware configured with OPTIONS does. A preflight
 * (OPTIONS) is Hono's own. Any other request gets its headers through `c.header` before the
 * handler runs, which the handler's `c.json` takes as its own: Hono's cors sets them on `c.res`
 * instead, which makes a placeholder response that the handler's then replaces, copying every
 * header into a fresh one, so each API call built three Responses and two Headers where one does.
 * A handler that returns a Response of its own (an SSE stream) gets them after it, as there.
 */
export function apiCors(allowedOrigins: string[]): MiddlewareHandler {
  const any = allowedOrigins.length === 0 || allowedOrigins.includes("*");
  const preflight = cors({ ...OPTIONS, origin: any ? "*" : allowedOrigins });
  const expose = OPTIONS.exposeHeaders.join(",");
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    const origin = c.req.header("origin") ?? "";
    const allow = any ? "*" : allowedOrigins.includes(origin) ? origin : null;
    const set = () => {
      if (allow) c.header("Access-Control-Allow-Origin", allow);
      c.header("Access-Control-Expose-Headers", expose);
      // The answer depends on the Origin header once not every origin is allowed.
      if (!any) c.header("Vary", "Origin", { append: true });
    };
    set();
    await next();
    if (!c.res.headers.has("Access-Control-Expose-Headers")) set();
  };
}
