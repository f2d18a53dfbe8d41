/**
 * Dialog activity counts for the admin monitor: how many dialogs had a message in the last hour,
 * day, week and month.
 *
 * Cost is bounded regardless of traffic: each dialog has exactly one entry in the activity index
 * (keyed by its last message id) and is counted once in the hourly bucket of that last message.
 * "Active since T" = the whole hours after T's hour, summed from their buckets (in - out; at most
 * 721 buckets for a month, two counters each), plus an exact scan of the activity index for the
 * rest of T's own hour (only dialogs whose latest message falls in that one hour).
 */
import { ulidFloor } from "../../services/core/ids.ts";
import { keys } from "../keys.ts";

const HOUR_MS = 3_600_000;

export const WINDOWS = {
  hour: HOUR_MS,
  day: 24 * HOUR_MS,
  week: 7 * 24 * HOUR_MS,
  month: 30 * 24 * HOUR_MS,
} as const;

export type ActivityCounts = Record<keyof typeof WINDOWS, number>;

async function countRange(kv: Deno.Kv, fromMs: number, toMs: number): Promise<number> {
  let n = 0;
  const iter = kv.list({
    start: keys.pairActivityAt(ulidFloor(fromMs)),
    end: keys.pairActivityAt(ulidFloor(toMs)),
  }, { batchSize: 500 });
  for await (const _ of iter) n++;
  return n;
}

/** Dialogs whose latest message is at or after each window's start (as of `now`). */
export async function activeDialogCounts(kv: Deno.Kv, now = Date.now()): Promise<ActivityCounts> {
  const oldestHour = Math.floor((now - WINDOWS.month) / HOUR_MS);
  // Net dialogs per hour bucket, from the oldest window's first whole hour on.
  const perHour = new Map<number, number>();
  const iter = kv.list<Deno.KvU64>({
    prefix: keys.activityBuckets(),
    start: keys.activityBucketsFrom(oldestHour + 1),
  }, { batchSize: 500 });
  for await (const e of iter) {
    const hour = e.key[1] as number;
    const sign = e.key[2] === "in" ? 1 : -1;
    perHour.set(hour, (perHour.get(hour) ?? 0) + sign * Number(e.value.value));
  }
  const out = {} as ActivityCounts;
  await Promise.all(
    (Object.keys(WINDOWS) as (keyof typeof WINDOWS)[]).map(async (name) => {
      const since = now - WINDOWS[name];
      const hour = Math.floor(since / HOUR_MS);
      let n = await countRange(kv, since, (hour + 1) * HOUR_MS);
      for (const [h, count] of perHour) if (h > hour) n += count;
      out[name] = n;
    }),
  );
  return out;
}
