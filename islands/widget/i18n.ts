/** Russian and English strings, and friendly texts for every error code of the API. */
import type { ApiErr } from "./api_error.ts";
import { S } from "./store.ts";

const en = {
  title: "Messages",
  open: "Open chat",
  unreadN: "{n} unread",
  close: "Close",
  back: "Back",
  mute: "Mute",
  all: "All",
  favourites: "Favourites",
  blocked: "Blocked",
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
  cancel: "Cancel",
  reconnecting: "Reconnecting…",
  actions: "Actions",
  fav: "Favourite",
  block: "Block",
  unblock: "Unblock",
  report: "Report",
  spam: "Spam",
  abuse: "Abuse",
  scam: "Fraud",
  other: "Other",
  details: "Details (optional)",
  reported: "Report sent. Thank you.",
  translate: "Translate",
  system: "System messages cannot be answered.",
  newMessage: "New message",
  image: "Image",
  // error texts
  blockedErr: "This user does not accept your messages.",
  youBlocked: "You blocked this user.",
  bannedErr: "You cannot send messages.",
  rateErr: "Too fast. Try again in {n} s.",
  bigErr: "The image is too large (max {n} MB).",
  typeErr: "Only PNG, JPEG, GIF or WebP images.",
  wideErr: "The image has too many pixels.",
  emptyErr: "Write something first.",
  longErr: "Too long (max {n} characters).",
  dupErr: "You have already reported this.",
  trOffErr: "Translation is not available.",
  trErr: "Translation failed. Try later.",
  adminErr: "Admins cannot be blocked.",
  reload: "Chat is unavailable. Reload the page.",
  netErr: "No connection.",
  err: "Something went wrong. Try again.",
};

export type Key = keyof typeof en;

const ru: Record<Key, string> = {
  title: "Сообщения",
  open: "Открыть чат",
  unreadN: "непрочитанных: {n}",
  close: "Закрыть",
  back: "Назад",
  mute: "Без звука",
  all: "Все",
  favourites: "Избранные",
  blocked: "Чёрный список",
  search: "Поиск по имени или логину",
  empty: "Диалогов пока нет",
  nothing: "Ничего не найдено",
  loading: "Загрузка…",
  online: "в сети",
  lastSeen: "был(а) {t}",
  typing: "печатает…",
  today: "Сегодня",
  yesterday: "Вчера",
  sent: "отправлено",
  read: "прочитано",
  photo: "Фото",
  you: "Вы: ",
  placeholder: "Сообщение…",
  send: "Отправить",
  attach: "Прикрепить изображение",
  cancel: "Отмена",
  reconnecting: "Переподключение…",
  actions: "Действия",
  fav: "Избранное",
  block: "Заблокировать",
  unblock: "Разблокировать",
  report: "Пожаловаться",
  spam: "Спам",
  abuse: "Оскорбления",
  scam: "Мошенничество",
  other: "Другое",
  details: "Подробности (необязательно)",
  reported: "Жалоба отправлена. Спасибо.",
  translate: "Перевести",
  system: "На системные сообщения нельзя ответить.",
  newMessage: "Новое сообщение",
  image: "Изображение",
  blockedErr: "Пользователь не принимает ваши сообщения.",
  youBlocked: "Вы заблокировали этого пользователя.",
  bannedErr: "Вы не можете отправлять сообщения.",
  rateErr: "Слишком часто. Повторите через {n} с.",
  bigErr: "Изображение слишком большое (до {n} МБ).",
  typeErr: "Только PNG, JPEG, GIF или WebP.",
  wideErr: "В изображении слишком много пикселей.",
  emptyErr: "Сначала напишите что-нибудь.",
  longErr: "Слишком длинно (до {n} символов).",
  dupErr: "Вы уже пожаловались.",
  trOffErr: "Перевод недоступен.",
  trErr: "Не удалось перевести. Попробуйте позже.",
  adminErr: "Администратора нельзя заблокировать.",
  reload: "Чат недоступен. Обновите страницу.",
  netErr: "Нет соединения.",
  err: "Что-то пошло не так. Попробуйте ещё раз.",
};

/** Picks the UI language: the `lang` option, else the browser's language. */
export function pickLang(opt?: string): "ru" | "en" {
  return /^ru/i.test(opt || navigator.language) ? "ru" : "en";
}

/** The string `key` in the UI language, with `{n}`-style placeholders filled in. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return (S.lang === "ru" ? ru : en)[key].replace(/\{(\w)\}/g, (_, k) => String(vars[k]));
}

/** Error code → text. Codes not listed get the generic text. */
const byCode: Record<string, Key> = {
  blocked: "blockedErr",
  you_blocked: "youBlocked",
  banned: "bannedErr",
  rate_limited: "rateErr",
  image_too_large: "bigErr",
  body_too_large: "bigErr",
  unsupported_image: "typeErr",
  image_too_wide: "wideErr",
  empty_text: "emptyErr",
  text_too_long: "longErr",
  complaint_exists: "dupErr",
  translate_disabled: "trOffErr",
  translate_failed: "trErr",
  cannot_block_admin: "adminErr",
  system_no_reply: "system",
  unauthorized: "reload",
  network: "netErr",
};

/** A friendly, localised sentence for any error (the host's read_only text as it is). */
export function errorText(e: unknown): string {
  const { code: c, message, retryAfter } = e as ApiErr;
  if (c === "read_only") return message;
  return t(byCode[c] ?? "err", {
    n: c === "rate_limited"
      ? retryAfter || 1
      : c === "text_too_long"
      ? S.feat.max_text
      : Math.round(S.feat.max_image_bytes / 1048576),
  });
}
