/** Formatting and parsing helpers of the admin page: times, ids, sizes. */
import { lang } from "./i18n.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Milliseconds encoded in a ULID (message ids sort by time). */
export function ulidTime(id: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD.indexOf(id[i]);
  return t;
}

const dateTime = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "ru-RU", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** A stored ISO time in the admin's local time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : dateTime.format(d);
}

/**
 * What a date field accepts: day, month, year in the page's order, then an optional time (the
 * slash escaped: browsers compile `pattern` with the v flag, where a bare / in a class is an error).
 */
export const DATE_PATTERN = String.raw`\s*\d{1,2}[.\/]\d{1,2}[.\/]\d{4}(,?\s+\d{1,2}:\d{2})?\s*`;

/**
 * A date field's text ("31.12.2026 18:30", "31/12/2026", as the timestamps are written) as an
 * ISO time for the API, in the admin's time zone; "" and text that is no date stay unset (the
 * field's pattern keeps such a form from being sent).
 */
export function localToIso(value: string): string | undefined {
  const m = value.trim().match(/^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?$/);
  if (!m) return undefined;
  const [day, month, year, hour, minute] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0"].map(Number);
  const d = new Date(year, month - 1, day, hour, minute);
  // 31.02 rolls over into March: refuse it rather than search another day.
  if (d.getDate() !== day || d.getMonth() !== month - 1 || hour > 23 || minute > 59) {
    return undefined;
  }
  return d.toISOString();
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The hash link of a view (ids are encoded: they are data from the host site). */
export function link(...parts: string[]): string {
  return "#/" + parts.map(encodeURIComponent).join("/");
}
