/**
 * A time-limited ban ends on time: while the signed-in user is banned until a known time, one
 * timer re-reads their state from the server (`GET /api/v1/session`) at that time and gives the
 * composer back if the server says the ban is over. The delay is measured on the server's clock
 * (its answer's `now`), so a browser clock that is off only moves nothing; if the server still
 * says banned (a new ban, a skewed estimate), the next timer is set from its new answer. Without
 * this the widget waited for the hourly run's `ban {banned: false}` push.
 */
import { banRecheckMs } from "../widget/ban_delay.ts";
import type { Me } from "../widget/types.ts";
import { call, S, update } from "../widget_extra/core.ts";

/** After a failed read (offline, server restarting). */
const RETRY_MS = 30_000;

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
    if (banned && ban_until) timer = setTimeout(recheck, banRecheckMs(ban_until, r.now));
  } catch {
    timer = setTimeout(recheck, RETRY_MS);
  }
}
