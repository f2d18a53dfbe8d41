import { Hono } from "hono";
import { getMessageById } from "../../kv/messaging/messages.ts";
import { deleteOwnMessage, editMessage } from "../../kv/messaging/edits.ts";
import { maskForSend } from "../../services/content/filters.ts";
import { validText } from "./dialogs.ts";
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

/** The `:id` of a message route: a message id, else 404 (no such message). */
function messageId(raw: string): string {
  if (!isUlid(raw)) throw notFound("message", "id");
  return raw;
}

/**
 * `/api/v1/messages/:id/...`. `POST /:id/translate {lang}` → `{text, lang, provider}` for the
 * dialog's two members: cached per message + language; 503 translate_disabled without a provider,
 * 502 translate_failed when the provider fails or times out (messaging is not affected).
 * `PATCH /:id {text}` → `{message}` with `edited_at`, and `DELETE /:id` → `{deleted}`: the
 * sender's own message within `PARLEY_EDIT_WINDOW_SECONDS` (403 not_your_message, 409
 * edit_window_passed); the peer's stream gets `message_edited {message}` / `message_deleted`.
 */
export function messageRoutes(deps: Deps) {
  const { kv, cfg } = deps;
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));
  app.patch("/:id", async (c) => {
    const uid = c.get("uid");
    const id = messageId(c.req.param("id"));
    const msg = await getMessageById(kv, id);
    const text = validText((await readJson(c)).text, Boolean(msg?.attachment));
    const message = await editMessage(
      kv,
      id,
      uid,
      cfg.editWindowSeconds,
      maskForSend(text, cfg.filters),
    );
    return c.json({ message });
  });

  app.delete("/:id", async (c) => {
    const uid = c.get("uid");
    const deleted = await deleteOwnMessage(
      kv,
      messageId(c.req.param("id")),
      uid,
      cfg.editWindowSeconds,
    );
    return c.json({ deleted });
  });

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
