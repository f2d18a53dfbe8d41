/** The translation provider configured for this instance. */
import type { Config } from "../../core/config.ts";
import { libreTranslator } from "./libretranslate.ts";
import type { Translator } from "./translator.ts";
import { yandexTranslator } from "./yandex.ts";

/** The configured provider, or null when translation is off. */
export function translatorFor(cfg: Config): Translator | null {
  const t = cfg.translate;
  if (t.provider === "yandex") {
    return yandexTranslator({ apiKey: t.yandexApiKey!, folderId: t.yandexFolderId, url: t.url });
  }
  if (t.provider === "libretranslate") return libreTranslator({ url: t.url!, apiKey: t.apiKey });
  return null;
}
