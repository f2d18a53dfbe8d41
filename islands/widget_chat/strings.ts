/** widget-chat.js's strings in English and Russian, and the texts of its error codes. */

/** English. */
export const en = {
  reply: "Reply",
  replyTo: "Reply to {n}",
  cancelReply: "Cancel the reply",
  quoteGone: "Deleted message",
  sending: "sending",
  notSent: "Not sent",
  retry: "Retry",
  discard: "Remove",
  findIn: "Search in this dialog",
  closeSearch: "Close the search",
  found: "Found: {n}",
  searching: "Searching…",
  moreFound: "Search further back",
  tooFar: "This message is too far back to show.",
  caption: "Image for sending: add a caption and press Enter",
  dropImage: "Do not send the image",
  replyGoneErr: "The message you answer is gone.",
  clientIdErr: "This message was sent and then deleted.",
};

/** widget-chat.js's string keys. */
export type ChatKey = keyof typeof en;

/** Russian. */
export const ru: Record<ChatKey, string> = {
  reply: "Ответить",
  replyTo: "Ответ {n}",
  cancelReply: "Отменить ответ",
  quoteGone: "Сообщение удалено",
  sending: "отправляется",
  notSent: "Не отправлено",
  retry: "Повторить",
  discard: "Убрать",
  findIn: "Поиск в этом диалоге",
  closeSearch: "Закрыть поиск",
  found: "Найдено: {n}",
  searching: "Ищем…",
  moreFound: "Искать дальше",
  tooFar: "Это сообщение слишком далеко в истории.",
  caption: "Изображение к отправке: добавьте подпись и нажмите Enter",
  dropImage: "Не отправлять изображение",
  replyGoneErr: "Сообщения, на которое вы отвечаете, уже нет.",
  clientIdErr: "Это сообщение было отправлено и удалено.",
};

/** Error code → text key. */
export const codes: Record<string, ChatKey> = {
  reply_not_found: "replyGoneErr",
  client_id_used: "clientIdErr",
};
