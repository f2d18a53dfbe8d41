/**
 * Strings of the moderation workflow (roles, timed bans, the complaints workflow, search, export,
 * audit filters) in Russian and English; the language is the page's (i18n.ts).
 */
import { lang } from "./i18n.ts";

const ru = {
  moderator: "модератор",
  search: "Поиск",
  searchText: "Текст сообщения",
  searchHint: "Без учёта регистра, ё = е. Внутри пользователя, диалога или периода.",
  peer: "Собеседник (необязательно)",
  searchGo: "Искать",
  filteredWord: "скрыто фильтром",
  exportCsv: "Скачать CSV",
  exportJson: "Скачать JSON",
  duration: "Срок",
  d1h: "1 час",
  d24h: "24 часа",
  d7d: "7 дней",
  dCustom: "свой срок",
  dForever: "навсегда",
  customHours: "Часов",
  until: "до {when}",
  forever: "навсегда",
  claim: "Взять себе",
  release: "Отпустить",
  assignTo: "Передать",
  assignee: "Занимается",
  nobody: "никто",
  resolveBan: "Решено и заблокировать",
  confirmResolveBan: "Решить жалобу и заблокировать {name} ({until})?",
  conflict: "Коллега уже обработал эту жалобу ({status}). Ваша заметка сохранена ниже.",
  selectAll: "Выбрать все",
  select: "Выбрать жалобу",
  selected: "Выбрано: {n}",
  bulkResolve: "Решить выбранные",
  bulkDismiss: "Отклонить выбранные",
  bulkDone: "Закрыто: {closed}. Пропущено: {skipped}. Не удалось: {failed}.",
  bulkSkippedClosed: "уже закрыта",
  bulkSkippedMissing: "не найдена",
  filterUserAny: "Пользователь (жалуется или на кого)",
  apply: "Применить",
  openAtMessage: "Открыть диалог на этом сообщении",
  actor: "Кто",
  anyAction: "Любое действие",
  targetId: "Объект (ID)",
  noResults: "Ничего не найдено.",
  moderatorHint: "Вы модератор: переписка видна только в жалобах.",
  wasResolved: "решена",
  wasDismissed: "отклонена",
};

type ModStrings = typeof ru;

const en: ModStrings = {
  moderator: "moderator",
  search: "Search",
  searchText: "Message text",
  searchHint: "Any case, ё = е. Within a user, a dialog or a period.",
  peer: "Other user (optional)",
  searchGo: "Search",
  filteredWord: "masked by the filter",
  exportCsv: "Download CSV",
  exportJson: "Download JSON",
  duration: "For",
  d1h: "1 hour",
  d24h: "24 hours",
  d7d: "7 days",
  dCustom: "custom",
  dForever: "forever",
  customHours: "Hours",
  until: "until {when}",
  forever: "forever",
  claim: "Claim",
  release: "Release",
  assignTo: "Assign",
  assignee: "Handled by",
  nobody: "nobody",
  resolveBan: "Resolve and ban",
  confirmResolveBan: "Resolve the complaint and ban {name} ({until})?",
  conflict: "A colleague has handled this complaint already ({status}). Your note is kept below.",
  selectAll: "Select all",
  select: "Select complaint",
  selected: "Selected: {n}",
  bulkResolve: "Resolve selected",
  bulkDismiss: "Dismiss selected",
  bulkDone: "Closed: {closed}. Skipped: {skipped}. Failed: {failed}.",
  bulkSkippedClosed: "already closed",
  bulkSkippedMissing: "not found",
  filterUserAny: "User (reporter or accused)",
  apply: "Apply",
  openAtMessage: "Open the dialog at this message",
  actor: "Who",
  anyAction: "Any action",
  targetId: "Target (ID)",
  noResults: "Nothing found.",
  moderatorHint: "You are a moderator: messages show only within complaints.",
  wasResolved: "resolved",
  wasDismissed: "dismissed",
};

/** A moderation string, with `{name}` placeholders filled from `vars`. */
export function tm(key: keyof ModStrings, vars: Record<string, string | number> = {}): string {
  return (lang === "en" ? en : ru)[key].replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

/** Audit action codes in words (every code the server writes). */
export const ACTIONS: Record<string, { ru: string; en: string }> = {
  "message.delete": { ru: "удалил сообщение", en: "deleted a message" },
  "message.delete_own": { ru: "удалил своё сообщение", en: "deleted their own message" },
  "user.ban": { ru: "заблокировал", en: "banned" },
  "user.unban": { ru: "снял блокировку", en: "unbanned" },
  "user.note": { ru: "написал заметку о", en: "wrote a note about" },
  "user.note_delete": { ru: "удалил заметку о", en: "deleted a note about" },
  "complaint.resolve": { ru: "решил жалобу", en: "resolved a complaint" },
  "complaint.dismiss": { ru: "отклонил жалобу", en: "dismissed a complaint" },
  "complaint.claim": { ru: "взял жалобу", en: "claimed a complaint" },
  "complaint.assign": { ru: "передал жалобу", en: "assigned a complaint" },
  "complaint.release": { ru: "отпустил жалобу", en: "released a complaint" },
};

/** An action code in the admin's language (an unknown one as it is). */
export function actionLabel(code: string): string {
  return ACTIONS[code]?.[lang] ?? code;
}
