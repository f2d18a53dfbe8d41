/**
 * LibreTranslate: POST <url>/translate with `{q, source: "auto", target, format: "text",
 * api_key?}`; answers `{translatedText, detectedLanguage?: {language, confidence}}`, or on error
 * a 4xx/5xx status with `{error: "..."}`.
 */
import { postJson, TranslateError, type Translator } from "./translator.ts";

export function libreTranslator(opts: { url: string; apiKey?: string }): Translator {
  const endpoint = opts.url.replace(/\/+$/, "") + "/translate";
  return {
    name: "libretranslate",
    async translate(text, target, signal) {
      const body = {
        q: text,
        source: "auto",
        target,
        format: "text",
        ...(opts.apiKey ? { api_key: opts.apiKey } : {}),
      };
      const res = await postJson("libretranslate", endpoint, {}, body, signal);
      if (!res.ok) {
        const error = typeof res.json.error === "string" ? res.json.error : "no message";
        throw new TranslateError(`libretranslate: answered ${res.status}: ${error}`);
      }
      if (typeof res.json.translatedText !== "string") {
        throw new TranslateError("libretranslate: the answer has no translatedText");
      }
      const detected = (res.json.detectedLanguage as { language?: unknown } | undefined)?.language;
      return {
        text: res.json.translatedText,
        detected: typeof detected === "string" ? detected : null,
      };
    },
  };
}
