/**
 * The extra parts' strings in English and Russian, and the texts of the error codes only their
 * requests can get; added to the core's (islands/widget/i18n.ts) when they load.
 */

/** English. */
export const en = {
  all: "All",
  favourites: "Favourites",
  blocked: "Blocked",
  cancel: "Cancel",
  actions: "Actions",
  fav: "Favourite",
  sound: "Sound",
  block: "Block",
  report: "Report",
  spam: "Spam",
  abuse: "Abuse",
  scam: "Fraud",
  other: "Other",
  details: "Details (optional)",
  reported: "Report sent. Thank you.",
  translate: "Translate",
  bigErr: "The image is too large (max {n} MB).",
  typeErr: "Only PNG, JPEG, GIF or WebP images.",
  badImgErr: "This file is not a valid image.",
  lateErr: "This message can no longer be changed.",
  notImage: "Only images can be sent.",
  edit: "Edit",
  editMsg: "Edit the message",
  save: "Save",
  del: "Delete",
  deleteQ: "Delete this message for both of you?",
  rateMin: "Too many reports. Try again in {n} min.",
  noUpload: "Files cannot be sent here.",
  wideErr: "The image has too many pixels.",
  dupErr: "You have already reported this.",
  trOffErr: "Translation is not available.",
  trErr: "Translation failed. Try later.",
  adminErr: "Admins cannot be blocked.",
};

/** The extra parts' string keys. */
export type ExtraKey = keyof typeof en;

/** Russian. */
export const ru: Record<ExtraKey, string> = {
  all: "Все",
  favourites: "Избранные",
  blocked: "Чёрный список",
  cancel: "Отмена",
  actions: "Действия",
  fav: "Избранное",
  sound: "Звук",
  block: "Заблокировать",
  report: "Пожаловаться",
  spam: "Спам",
  abuse: "Оскорбления",
  scam: "Мошенничество",
  other: "Другое",
  details: "Подробности (необязательно)",
  reported: "Жалоба отправлена. Спасибо.",
  translate: "Перевести",
  bigErr: "Изображение слишком большое (до {n} МБ).",
  typeErr: "Только PNG, JPEG, GIF или WebP.",
  badImgErr: "Этот файл — не изображение или он повреждён.",
  lateErr: "Это сообщение уже нельзя изменить.",
  notImage: "Можно отправлять только изображения.",
  edit: "Изменить",
  editMsg: "Изменить сообщение",
  save: "Сохранить",
  del: "Удалить",
  deleteQ: "Удалить это сообщение у вас обоих?",
  rateMin: "Слишком много жалоб. Повторите через {n} мин.",
  noUpload: "Здесь нельзя отправлять файлы.",
  wideErr: "В изображении слишком много пикселей.",
  dupErr: "Вы уже пожаловались.",
  trOffErr: "Перевод недоступен.",
  trErr: "Не удалось перевести. Попробуйте позже.",
  adminErr: "Администратора нельзя заблокировать.",
};

/** Error code → text key, for errors of uploads, reports, translation and blocking. */
export const codes: Record<string, ExtraKey> = {
  image_too_large: "bigErr",
  body_too_large: "bigErr",
  unsupported_image: "typeErr",
  invalid_image: "badImgErr",
  edit_window_passed: "lateErr",
  not_your_message: "lateErr",
  image_too_wide: "wideErr",
  complaint_exists: "dupErr",
  translate_disabled: "trOffErr",
  translate_failed: "trErr",
  cannot_block_admin: "adminErr",
};
