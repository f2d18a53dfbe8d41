import { Hono } from "hono";
import { isAdmin, verifyUserKey } from "../../services/host/auth.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { isUserId } from "../../services/core/ids.ts";
import { type Lang, pickLang } from "../../services/core/lang.ts";

const TEXT = {
  ru: {
    title: "Parley — администрирование",
    loading: "Загрузка…",
    noscript: "Для страницы администратора нужен JavaScript.",
    deniedTitle: "403 — нет прав администратора",
    denied: "Этот пользователь не входит в список администраторов (PARLEY_ADMIN_IDS).",
  },
  en: {
    title: "Parley — admin",
    loading: "Loading…",
    noscript: "The admin page needs JavaScript.",
    deniedTitle: "403 — not an admin",
    denied: "This user is not in the admin list (PARLEY_ADMIN_IDS).",
  },
} as const;

function page(lang: Lang, denied: boolean): string {
  const t = TEXT[lang];
  const body = denied
    ? `<main class="denied"><h1>${t.deniedTitle}</h1><p>${t.denied}</p></main>`
    : `<div id="parley-admin"><p>${t.loading}</p><noscript>${t.noscript}</noscript></div>
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
.denied{max-width:32rem;margin:15vh auto;padding:1.5rem;background:#fff;border-radius:12px}</style>
</head>
<body>
${body}
</body>
</html>`;
}

/**
 * `GET /admin`: the admin page shell that loads `/admin.js` (islands/admin). The island signs in
 * with the same user_id + user_key as the widget; if both are in the URL, they are checked here
 * too, so a valid non-admin gets a real 403 page (the API re-checks on every call anyway).
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

  app.get("/admin", async (c) => {
    const lang = pickLang(c.req.query("lang"), c.req.header("accept-language"));
    const uid = c.req.query("user_id")?.trim();
    const key = c.req.query("user_key");
    if (uid && key && isUserId(uid) && !isAdmin(deps.cfg, uid)) {
      const valid = await verifyUserKey(deps.kv, deps.cfg, uid, key).catch(() => false);
      if (valid) return c.html(page(lang, true), 403, headers);
    }
    return c.html(page(lang, false), 200, headers);
  });
  return app;
}
