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

/** A <input type="datetime-local"> value as an ISO time for the API ("" stays unset). */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Milliseconds as a <input type="datetime-local"> value in local time. */
export function msToLocal(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
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
