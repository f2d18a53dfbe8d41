/**
 * A time-limited ban ends on time: while the signed-in user is banned until a known time, one
 * timer re-reads their state from the server (`GET /api/v1/session`) at that time and gives the
 * composer back if the server says the ban is over. The delay is measured on the server's clock
 * (its answer's `now`), so a browser clock that is off only moves nothing; if the server still
 * says banned (a new ban, a skewed estimate), the next timer is set from its new answer. Without
 * this the widget waited for the hourly run's `ban {banned: false}` push.
 */
import type { Me } from "../widget/types.ts";
import { call, S, update } from "../widget_extra/core.ts";

/** After the end, so the server's own check (`until > now`) has certainly passed. */
const SLACK_MS = 500;
/** Never sooner than this between two reads, whatever the answers say. */
const MIN_MS = 1000;
/** After a failed read (offline, server restarting). */
const RETRY_MS = 30_000;
/** setTimeout's largest delay (about 24.8 days); a longer ban is looked at again then. */
const MAX_MS = 2 ** 31 - 1;

let timer: ReturnType<typeof setTimeout> | undefined;

/** (Re)arms the timer from the user's current state; a no-op unless banned until a time. */
export function watchBanEnd() {
  clearTimeout(timer);
  timer = undefined;
  if (S.me?.banned && S.me.ban_until) timer = setTimeout(recheck, 0);
}

async function recheck() {
  timer = undefined;
  try {
    const r = await call<{ user: Me; now: string }>("GET", "/api/v1/session");
    const { read_only, error, banned, ban_until } = r.user;
    S.me = { ...S.me!, read_only, error, banned, ban_until };
    update();
    if (banned && ban_until) {
      const wait = Date.parse(ban_until) - Date.parse(r.now) + SLACK_MS;
      timer = setTimeout(recheck, Math.min(MAX_MS, Math.max(MIN_MS, wait)));
    }
  } catch {
    timer = setTimeout(recheck, RETRY_MS);
  }
}
