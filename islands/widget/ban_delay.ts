/**
 * When to read a user's ban again after it was answered: at its end `until`, measured on the
 * server's clock of that answer (`now`), so a browser clock that is off moves nothing. Shared by
 * the widget's timer (islands/widget_look/ban_end.ts) and the admin page's user card
 * (islands/admin/UserCard.ts); pure, so each bundle carries only this.
 */

/** After the end, so the server's own check (`until > now`) has certainly passed. */
const SLACK_MS = 500;
/** Never sooner than this between two reads, whatever the answers say. */
const MIN_MS = 1000;
/** setTimeout's largest delay (about 24.8 days); a longer ban is looked at again then. */
const MAX_MS = 2 ** 31 - 1;

/** Milliseconds from the answer to the ban's end (plus slack), within MIN_MS and MAX_MS. */
export function banRecheckMs(until: string, now: string): number {
  const wait = Date.parse(until) - Date.parse(now) + SLACK_MS;
  return Math.min(MAX_MS, Math.max(MIN_MS, wait));
}
