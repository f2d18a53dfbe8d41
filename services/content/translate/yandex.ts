/**
 * Yandex Cloud Translate API v2: POST /translate/v2/translate with `Authorization: Api-Key <key>`
 * and `{folderId, texts, targetLanguageCode, format}`; answers `{translations: [{text,
 * detectedLanguageCode}]}`, or on error a status with `{code, message, details}`.
 */
import { postJson, TranslateError, type Translator } from "./translator.ts";

export const YANDEX_BASE_URL = "https://translate.api.cloud.yandex.net";
const PATH = "/translate/v2/translate";

/** `url` overrides the service's base URL (a proxy, or a test server). */
export function yandexTranslator(
  opts: { apiKey: string; folderId?: string; url?: string },
): Translator {
  const base = (opts.url ?? YANDEX_BASE_URL).replace(/\/+$/, "");
  const endpoint = base.endsWith(PATH) ? base : base + PATH;
  return {
    name: "yandex",
    async translate(text, target, signal) {
      const body = {
        ...(opts.folderId ? { folderId: opts.folderId } : {}),
        texts: [text],
        targetLanguageCode: target,
        format: "PLAIN_TEXT",
      };
      const res = await postJson(
        "yandex",
        endpoint,
        {
          Authorization: `Api-Key ${opts.apiKey}`,
        },
        body,
        signal,
      );
      if (!res.ok) {
        const message = typeof res.json.message === "string" ? res.json.message : "no message";
        throw new TranslateError(`yandex: answered ${res.status}: ${message}`);
      }
      const first = Array.isArray(res.json.translations) ? res.json.translations[0] : undefined;
      if (typeof first?.text !== "string") {
        throw new TranslateError("yandex: the answer has no translations[0].text");
      }
      const detected = first.detectedLanguageCode;
      return { text: first.text, detected: typeof detected === "string" ? detected : null };
    },
  };
}
