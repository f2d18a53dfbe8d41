/**
 * "Typing…" indicators: a `typing` event `{from, to, expires_at}` in the recipient's log. The
 * widget hides it at expires_at, so a lost "stopped typing" never leaves it stuck, and a replay
 * after reconnect shows nothing stale. Repeats within TYPING_REPEAT_MS are answered but not
 * logged: a client pinging on every keystroke costs one read, not an event.
 */
import { commitWithRetry } from "../atomic.ts";
import { addEvents, readSeqs } from "./events.ts";
import { keys } from "../keys.ts";

/** How long one typing event shows. */
export const TYPING_TTL_MS = 5000;
/** Within this of the last logged event, another is not logged (it still shows). */
export const TYPING_REPEAT_MS = 2000;

export interface TypingEvent {
  from: string;
  to: string;
  expires_at: string;
}

/** Logs that `from` is typing to `to`; returns the event, or null when throttled. */
export async function sendTyping(
  kv: Deno.Kv,
  from: string,
  to: string,
): Promise<TypingEvent | null> {
  return await commitWithRetry(async () => {
    const last = await kv.get<number>(keys.typing(from, to));
    const now = Date.now();
    // Own timestamp check: expireIn below only bounds how long the key lingers.
    if (last.value !== null && now - last.value < TYPING_REPEAT_MS) return null;
    const data: TypingEvent = { from, to, expires_at: new Date(now + TYPING_TTL_MS).toISOString() };
    const seqs = await readSeqs(kv, [to]);
    const op = kv.atomic().check(last).set(keys.typing(from, to), now, {
      expireIn: TYPING_TTL_MS,
    });
    addEvents(op, seqs, [{ uid: to, type: "typing", data }]);
    return { op, result: data };
  });
}
