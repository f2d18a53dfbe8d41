/**
 * The UI strings and friendly texts for the API's error codes. English is here; Russian comes as
 * `widget-ru.js`, loaded during init when the UI language is Russian; the extra parts bring
 * their own strings and error codes in both (islands/widget_extra/strings.ts).
 */
import type { ExtraKey } from "../widget_extra/strings.ts";
import type { ApiErr } from "./api_error.ts";
import { S } from "./store.ts";

const en = {
  title: "Messages",
  open: "Open chat",
  unreadN: "{n} unread",
  close: "Close",
  back: "Back",
  mute: "Mute",
  search: "Search by name or login",
  empty: "No dialogs yet",
  nothing: "Nothing found",
  loading: "Loading…",
  online: "online",
  lastSeen: "seen {t}",
  typing: "typing…",
  today: "Today",
  yesterday: "Yesterday",
  sent: "sent",
  read: "read",
  photo: "Photo",
  you: "You: ",
  placeholder: "Message…",
  send: "Send",
  attach: "Attach an image",
  reconnecting: "Reconnecting…",
  unblock: "Unblock",
  system: "System messages cannot be answered.",
  newMessage: "New message",
  image: "Image",
  // error texts
  blockedErr: "This user does not accept your messages.",
  youBlocked: "You blocked this user.",
  bannedErr: "You cannot send messages.",
  rateErr: "Too fast. Try again in {n} s.",
  emptyErr: "Write something first.",
  longErr: "Too long (max {n} characters).",
  reload: "Chat is unavailable. Reload the page.",
  netErr: "No connection.",
  err: "Something went wrong. Try again.",
};

/** The core's string keys (what a language pack holds). */
export type CoreKey = keyof typeof en;
/** Every string key, the extra parts' included. */
export type Key = CoreKey | ExtraKey;

/** Picks the UI language: the `lang` option, else the browser's language. */
export function pickLang(opt?: string): "ru" | "en" {
  return /^ru/i.test(opt || navigator.language) ? "ru" : "en";
}

let strings: Partial<Record<Key, string>> = en;

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
  return strings[key]!.replace(/\{(\w)\}/g, (_, k) => String(vars[k]));
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
