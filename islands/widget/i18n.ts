/**
 * The UI strings and friendly texts for the API's error codes. The strings come as a language
 * pack, `widget-en.js` (islands/widget_en) or `widget-ru.js` (islands/widget_ru), loaded during
 * init in parallel with signing in; the extra parts bring their own strings and error codes in
 * both (islands/widget_extra/strings.ts).
 */
import type { ExtraKey } from "../widget_extra/strings.ts";
import type { ChatKey } from "../widget_chat/strings.ts";
import type { LookKey } from "../widget_look/strings.ts";
import type { ApiErr } from "./api_error.ts";
import type { en } from "../widget_en/en.ts";
import { S } from "./store.ts";

/** The core's string keys (what a language pack holds). */
export type CoreKey = keyof typeof en;
/** Every string key, the extra parts' included. */
export type Key = CoreKey | ExtraKey | ChatKey | LookKey;

/** Picks the UI language: the `lang` option, else the browser's language. */
export function pickLang(opt?: string): "ru" | "en" {
  return /^ru/i.test(opt || navigator.language) ? "ru" : "en";
}

let strings: Partial<Record<Key, string>> = {};

/** Switches the UI strings (to those of a language pack). */
export function useStrings(s: Record<CoreKey, string>) {
  strings = s;
}

/**
 * The string `key` in the UI language, with `{n}`-style placeholders filled in. The core may ask
 * only for its own keys (the extra parts' strings are there only once they loaded); the extra
 * parts get it as `tAny`.
 */
export function t(key: CoreKey, vars: Record<string, string | number> = {}): string {
  // Before the language pack is there (it loads while signing in) nothing is shown.
  return (strings[key] ?? "").replace(/\{(\w)\}/g, (_, k) => String(vars[k]));
}

/** `t` for any key, the extra parts' included. */
export const tAny = t as (key: Key, vars?: Record<string, string | number>) => string;

/** Error code → text. Codes not listed (nor added by the extra parts) get the generic text. */
const byCode: Record<string, Key> = {
  blocked: "blockedErr",
  you_blocked: "youBlocked",
  banned: "bannedErr",
  rate_limited: "rateErr",
  empty_text: "emptyErr",
  text_too_long: "longErr",
  system_no_reply: "system",
  unauthorized: "reload",
  network: "netErr",
  unknown_user: "unknown",
  self_dialog: "selfErr",
};

/** Adds a lazy part's strings (in the UI language) and the texts of its error codes. */
export function addStrings(more: Partial<Record<Key, string>>, codes: Record<string, Key>) {
  Object.assign(strings, more);
  Object.assign(byCode, codes);
}

/** A friendly, localised sentence for any error (the host's read_only text as it is). */
export function errorText(e: unknown): string {
  const { code: c, message, retryAfter } = e as ApiErr;
  if (c === "read_only") return message;
  // Codes of the extra parts are in byCode only once their strings are.
  return t(byCode[c] as CoreKey ?? "err", {
    n: c === "rate_limited"
      ? retryAfter || 1
      : c === "text_too_long"
      ? S.feat.max_text
      : Math.round(S.feat.max_image_bytes / 1048576),
  });
}
