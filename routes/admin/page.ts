import { Hono } from "hono";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { type Lang, pickLang } from "../../services/core/lang.ts";

const TEXT = {
  ru: {
    title: "Parley — администрирование",
    loading: "Загрузка…",
    noscript: "Для страницы администратора нужен JavaScript.",
  },
  en: {
    title: "Parley — admin",
    loading: "Loading…",
    noscript: "The admin page needs JavaScript.",
  },
} as const;

function page(lang: Lang): string {
  const t = TEXT[lang];
  const body = `<div id="parley-admin"><p>${t.loading}</p><noscript>${t.noscript}</noscript></div>
<script type="module" src="./admin.js"></script>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t.title}</title>
<link rel="icon" href="./favicon.svg" type="image/svg+xml">
<style>body{margin:0;font:15px/1.4 system-ui,sans-serif;color:#1d2433;background:#f4f6fa}
</style>
</head>
<body>
${body}
</body>
</html>`;
}

/**
 * `GET /admin`: the admin page shell that loads `/admin.js` (islands/admin). The page never takes
 * a key in its URL: one that arrives (an old bookmark, the old demo link) is not even checked,
 * and the answer is a redirect to the bare page, the same for every id and key (no key checker,
 * nothing secret left in the history). The island signs in through `/api/v1/admin/session`.
 */
export function adminPageRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const origins = deps.cfg.allowedOrigins.filter((o) => o !== "*");
  const headers = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    // Framed only by this origin or the configured host sites (never by any site: clickjacking).
    "content-security-policy": [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob: https: http:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors 'self'${origins.map((o) => " " + o).join("")}`,
    ].join("; "),
  };

  app.get("/admin", (c) => {
    const url = new URL(c.req.url);
    if (url.searchParams.has("user_key") || url.searchParams.has("user_id")) {
      const lang = url.searchParams.get("lang");
      return c.body(null, 303, {
        ...headers,
        location: "admin" + (lang ? `?lang=${encodeURIComponent(lang)}` : ""),
      });
    }
    const lang = pickLang(c.req.query("lang"), c.req.header("accept-language"));
    return c.html(page(lang), 200, headers);
  });
  return app;
}
