import { Hono } from "hono";
import { getMessageById } from "../../kv/messaging/messages.ts";
import { enforceRate } from "../../kv/ratelimit.ts";
import { cacheTranslation, getCachedTranslation } from "../../kv/messaging/translations.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { ApiError, badRequest, notFound } from "../../services/core/errors.ts";
import { isUlid } from "../../services/core/ids.ts";
import { log } from "../../services/core/log.ts";
import { isLanguage } from "../../services/content/translate/languages.ts";
import { translatorFor } from "../../services/content/translate/provider.ts";
import { TranslateError } from "../../services/content/translate/translator.ts";
import { readJson, requireUser } from "../middleware.ts";

function langOf(raw: unknown): string {
  const lang = typeof raw === "string" ? raw.trim().toLowerCase() : "";
  if (!isLanguage(lang)) {
    throw badRequest("invalid_lang", "lang must be an ISO 639-1 code such as en or ru", "lang");
  }
  return lang;
}

/**
 * `/api/v1/messages/:id/...`. `POST /:id/translate {lang}` → `{text, lang, provider}` for the
 * dialog's two members: cached per message + language; 503 translate_disabled without a provider,
 * 502 translate_failed when the provider fails or times out (messaging is not affected).
 */
export function messageRoutes(deps: Deps) {
  const { kv, cfg } = deps;
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));
  app.post("/:id/translate", async (c) => {
    const uid = c.get("uid");
    const translator = translatorFor(cfg);
    if (!translator) {
      throw new ApiError(503, "translate_disabled", "translation is not configured on this site");
    }
    const id = c.req.param("id");
    const lang = langOf((await readJson(c)).lang);
    const msg = isUlid(id) ? await getMessageById(kv, id) : null;
    if (!msg || (msg.from !== uid && msg.to !== uid)) throw notFound("message", "id");
    if (!msg.text) {
      throw badRequest("nothing_to_translate", "this message has no text to translate", "id");
    }
    const cached = await getCachedTranslation(kv, id, lang);
    if (cached) return c.json({ text: cached.text, lang, provider: cached.provider });
    await enforceRate(kv, "translations", uid, cfg.rateLimits.translations);
    let result;
    try {
      result = await translator.translate(
        msg.text,
        lang,
        AbortSignal.timeout(cfg.translate.timeoutMs),
      );
    } catch (e) {
      if (!(e instanceof TranslateError)) throw e;
      log.warn("translation failed", { message_id: id, lang, reason: e.message });
      throw new ApiError(
        502,
        "translate_failed",
        "the translation service failed; try again later",
      );
    }
    await cacheTranslation(kv, id, lang, {
      text: result.text,
      provider: translator.name,
      detected: result.detected,
      at: new Date().toISOString(),
    });
    return c.json({ text: result.text, lang, provider: translator.name });
  });
  return app;
}
