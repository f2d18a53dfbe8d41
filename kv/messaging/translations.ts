/** Translations cached per message and target language, so a message is sent to a provider once. */
import { keys } from "../keys.ts";

/** Cached translations expire: a deleted message's copies must not live forever. */
export const TRANSLATION_TTL_MS = 30 * 86_400_000;

export interface CachedTranslation {
  text: string;
  provider: string;
  detected: string | null;
  at: string;
}

export async function getCachedTranslation(
  kv: Deno.Kv,
  messageId: string,
  lang: string,
): Promise<CachedTranslation | null> {
  return (await kv.get<CachedTranslation>(keys.translation(messageId, lang))).value;
}

export async function cacheTranslation(
  kv: Deno.Kv,
  messageId: string,
  lang: string,
  t: CachedTranslation,
): Promise<void> {
  await putTranslation(kv.atomic(), messageId, lang, t).commit();
}

/** Adds a cached translation to `op` (imports batch many into one atomic). */
export function putTranslation(
  op: Deno.AtomicOperation,
  messageId: string,
  lang: string,
  t: CachedTranslation,
): Deno.AtomicOperation {
  return op.set(keys.translation(messageId, lang), t, { expireIn: TRANSLATION_TTL_MS });
}
