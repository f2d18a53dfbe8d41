/**
 * Per-user rate limits in KV, so every instance shares one count: a fixed-window counter per
 * (bucket, user, window start), bumped with a checked atomic and expiring with its window.
 */
import type { RateLimit } from "../services/core/config.ts";
import { ApiError } from "../services/core/errors.ts";
import { commitWithRetry } from "./atomic.ts";
import { keys } from "./keys.ts";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The counter of `uid`'s current window, and what a counted or refused request needs of it. */
function windowOf(bucket: string, uid: string, limit: RateLimit, now: number) {
  const windowStart = now - (now % limit.windowMs);
  const windowEnd = windowStart + limit.windowMs;
  return {
    key: keys.rateCounter(bucket, uid, windowStart),
    // A second of slack keeps the key through clock skew between instances.
    expireIn: windowEnd - now + 1000,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
  };
}

/** Counts one request of `uid` against `limit`; refused requests are not counted. */
export async function takeRate(
  kv: Deno.Kv,
  bucket: string,
  uid: string,
  limit: RateLimit,
  now = Date.now(),
): Promise<RateDecision> {
  const { key, expireIn, retryAfterSeconds } = windowOf(bucket, uid, limit, now);
  const counted = await commitWithRetry(async () => {
    const entry = await kv.get<number>(key);
    const used = entry.value ?? 0;
    if (used >= limit.count) return null;
    const op = kv.atomic().check(entry).set(key, used + 1, { expireIn });
    return { op, result: true };
  });
  return counted ? { allowed: true } : { allowed: false, retryAfterSeconds };
}

/** Whether `uid` is still under `limit`, without counting anything. */
export async function peekRate(
  kv: Deno.Kv,
  bucket: string,
  uid: string,
  limit: RateLimit,
  now = Date.now(),
): Promise<RateDecision> {
  const { key, retryAfterSeconds } = windowOf(bucket, uid, limit, now);
  const used = (await kv.get<number>(key)).value ?? 0;
  return used < limit.count ? { allowed: true } : { allowed: false, retryAfterSeconds };
}

/** The 429 answer for a refused request. */
export function rateLimited(what: string, retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    `too many ${what}; try again in ${retryAfterSeconds} s`,
    undefined,
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/** The counter of one window: its key, and what a counted or refused request needs of it. */
export type RateWindow = ReturnType<typeof windowOf>;

/**
 * Reads `uid`'s counter and throws 429 if it is full; otherwise returns what adds the count to
 * another atomic (a check on the counter, unless `covered`, and its bump), so a send counts itself
 * in its own commit instead of a commit of its own. A caller that reads other keys anyway may read
 * the counter with them: `window()` names it, `decide()` judges the entry read.
 */
export interface RateStep {
  (kv: Deno.Kv): Promise<(op: Deno.AtomicOperation) => void>;
  /** The current window's counter. */
  window(): RateWindow;
  /**
   * Throws 429 when `entry` (the window's counter as read) is full; else returns the bump: a
   * check on the counter and its new count. `covered`: the caller's atomic checks a key that
   * every write of this counter also changes, so the bump needs no check of its own.
   */
  decide(
    w: RateWindow,
    entry: Deno.KvEntryMaybe<number>,
    covered?: boolean,
  ): (op: Deno.AtomicOperation) => void;
}

/** The RateStep of `uid` against `limit`; undefined when the limit is off. */
export function rateStep(
  bucket: string,
  uid: string,
  limit: RateLimit | null,
  what = bucket,
): RateStep | undefined {
  if (!limit) return undefined;
  const window = () => windowOf(bucket, uid, limit, Date.now());
  const decide = (w: RateWindow, entry: Deno.KvEntryMaybe<number>, covered = false) => {
    const used = entry.value ?? 0;
    if (used >= limit.count) throw rateLimited(what, w.retryAfterSeconds);
    return (op: Deno.AtomicOperation) => {
      if (!covered) op.check(entry);
      op.set(w.key, used + 1, { expireIn: w.expireIn });
    };
  };
  const step = async (kv: Deno.Kv) => {
    const w = window();
    return decide(w, await kv.get<number>(w.key));
  };
  return Object.assign(step, { window, decide });
}

/** Throws 429 `rate_limited` with Retry-After when `uid` is over `limit`; null limit = off. */
export async function enforceRate(
  kv: Deno.Kv,
  bucket: string,
  uid: string,
  limit: RateLimit | null,
  what = bucket,
): Promise<void> {
  if (!limit) return;
  const d = await takeRate(kv, bucket, uid, limit);
  if (d.allowed) return;
  throw rateLimited(what, d.retryAfterSeconds);
}
