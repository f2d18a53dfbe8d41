import { Hono } from "hono";
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE } from "../../kv/media/attachments.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { LANGUAGES } from "../../services/content/translate/languages.ts";
import { MAX_TEXT } from "./dialogs.ts";

/**
 * `GET /api/v1/features` (no auth): what this instance offers, so the widget shows only that —
 * `{translate, languages, max_image_bytes, max_image_side, max_text, edit_window_seconds}`.
 */
export function featureRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    const translate = Boolean(deps.cfg.translate.provider);
    return c.json({
      translate,
      languages: translate ? LANGUAGES : [],
      max_image_bytes: MAX_IMAGE_BYTES,
      max_image_side: MAX_IMAGE_SIDE,
      max_text: MAX_TEXT,
      edit_window_seconds: deps.cfg.editWindowSeconds,
    });
  });
  return app;
}
