/** The strings of `widget-look.js` in English and Russian (added to the core's when it loads). */

/** English. */
export const en = {
  hello: "No messages yet. Say hello to {n}!",
  noMsgs: "No messages yet.",
  newMsgs: "New messages",
  newN: "New messages: {n}",
  emoji: "Emoji",
  notifyOn: "Notifications",
  notifyDenied: "Notifications are blocked in the browser's settings for this site.",
};

/** Russian. */
export const ru: Record<LookKey, string> = {
  hello: "Сообщений пока нет. Поздоровайтесь первым!",
  noMsgs: "Сообщений пока нет.",
  newMsgs: "Новые сообщения",
  newN: "Новые сообщения: {n}",
  emoji: "Эмодзи",
  notifyOn: "Уведомления",
  notifyDenied: "Уведомления для этого сайта запрещены в настройках браузера.",
};

/** The string keys of this script. */
export type LookKey = keyof typeof en;
