/**
 * "Typing…" indicators: a `typing` event `{from, to, expires_at}` in the recipient's log. The
 * widget hides it at expires_at, so a lost "stopped typing" never leaves it stuck, and a replay
 * after reconnect shows nothing stale. Repeats within TYPING_REPEAT_MS are answered but not
 * logged: a client pinging on every keystroke costs one read, not an event.
 */
import { commitWithRetry } from "../atomic.ts";
import { addEvents, EVENT_TTL_MS, readSeqs, refuseErasing } from "./events.ts";
import { keys } from "../keys.ts";
import type { SendGuard } from "../moderation/send_guard.ts";

/** How long one typing event shows. */
export const TYPING_TTL_MS = 5000;
/** Within this of the last logged event, another is not logged (it still shows). */
export const TYPING_REPEAT_MS = 2000;

export interface TypingEvent {
  from: string;
  to: string;
  expires_at: string;
}

/**
 * Logs that `from` is typing to `to`; returns the event, or null when throttled. `guard` (ban,
 * blocks) is checked in the same atomic, and so are both users' event counters: an erase of
 * either side refuses it (410), so no typing event about an erased user lands after the erase.
 * The throttle key lives as long as the event may stay in `to`'s log, which is how an erase of
 * `from` finds the logs to clean (kv/privacy/erase.ts).
 */
export async function sendTyping(
  kv: Deno.Kv,
  from: string,
  to: string,
  guard?: SendGuard,
): Promise<TypingEvent | null> {
  return await commitWithRetry(async () => {
    const last = await kv.get<number>(keys.typing(from, to));
    const now = Date.now();
    // Own timestamp check: expireIn below only bounds how long the key lingers.
    if (last.value !== null && now - last.value < TYPING_REPEAT_MS) return null;
    const data: TypingEvent = { from, to, expires_at: new Date(now + TYPING_TTL_MS).toISOString() };
    const [seqs, guarded] = await Promise.all([readSeqs(kv, [to, from]), guard ? guard(kv) : []]);
    refuseErasing(seqs);
    const op = kv.atomic().check(last, ...guarded).set(keys.typing(from, to), now, {
      expireIn: EVENT_TTL_MS,
    });
    addEvents(op, seqs, [{ uid: to, type: "typing", data }]);
    return { op, result: data };
  });
}
