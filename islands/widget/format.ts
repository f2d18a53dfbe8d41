/** Dates and names in the UI language, using the browser's Intl (no locale data shipped). */
import { t } from "./i18n.ts";
import { S } from "./store.ts";

const day = (d: Date | string) => new Date(d).toDateString();

/** "14:05". */
export function hhmm(iso: string): string {
  return new Date(iso).toLocaleTimeString(S.lang, { hour: "numeric", minute: "2-digit" });
}

/** "Today", "Yesterday" or "3 March" (with the year when it is not this year). */
export function dayLabel(iso: string): string {
  const d = new Date(iso);
  const now = new Date();
  return day(d) === day(now)
    ? t("today")
    : day(d) === day(new Date(+now - 864e5))
    ? t("yesterday")
    : d.toLocaleDateString(S.lang, {
      day: "numeric",
      month: "long",
      year: d.getFullYear() === now.getFullYear() ? undefined : "numeric",
    });
}

/** The dialog list's time: "14:05" today, else "3 Mar". */
export function listTime(iso: string): string {
  return day(iso) === day(new Date())
    ? hhmm(iso)
    : new Date(iso).toLocaleDateString(S.lang, { day: "numeric", month: "short" });
}

/** "5 minutes ago", "yesterday"… for "last seen". */
export function ago(iso: string): string {
  const s = (Date.parse(iso) - Date.now()) / 1000;
  const [n, unit] = s > -3600
    ? [s / 60, "minute"] as const
    : s > -86400
    ? [s / 3600, "hour"] as const
    : [s / 86400, "day"] as const;
  return new Intl.RelativeTimeFormat(S.lang, { numeric: "auto" }).format(Math.round(n), unit);
}
