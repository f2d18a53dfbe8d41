import { commitWithRetry } from "../atomic.ts";
import { keys } from "../keys.ts";
import type { StoredEvent } from "../types.ts";

/** How long events stay replayable for a reconnecting client. */
export const EVENT_TTL_MS = 3 * 24 * 3600 * 1000;

export interface SeqState {
  uid: string;
  seq: number;
  entry: Deno.KvEntryMaybe<number>;
}

/** Reads the current event counters of the given users (to check + bump in one atomic). */
export async function readSeqs(kv: Deno.Kv, uids: string[]): Promise<Map<string, SeqState>> {
  const unique = [...new Set(uids)];
  const entries = await kv.getMany<number[]>(unique.map((u) => keys.eventSeq(u)));
  return new Map(
    unique.map((uid, i) => [uid, { uid, seq: entries[i].value ?? 0, entry: entries[i] }]),
  );
}

/**
 * Adds events to `op`, each to its user's log with the next gap-free number, plus one check per
 * user on the counter. Returns the numbers assigned, in input order.
 */
export function addEvents(
  op: Deno.AtomicOperation,
  seqs: Map<string, SeqState>,
  events: { uid: string; type: string; data: unknown }[],
): number[] {
  const next = new Map<string, number>();
  const assigned = events.map((e) => {
    const s = seqs.get(e.uid);
    if (!s) throw new Error(`readSeqs did not include ${e.uid}`);
    const n = (next.get(e.uid) ?? s.seq) + 1;
    next.set(e.uid, n);
    const stored: StoredEvent = { seq: n, type: e.type, data: e.data };
    op.set(keys.event(e.uid, n), stored, { expireIn: EVENT_TTL_MS });
    return n;
  });
  for (const [uid, n] of next) {
    const s = seqs.get(uid)!;
    op.check(s.entry).set(keys.eventSeq(uid), n);
  }
  return assigned;
}

/** Events of `uid` after `cursor`, oldest first, at most `limit`. */
export async function eventsAfter(
  kv: Deno.Kv,
  uid: string,
  cursor: number,
  limit = 500,
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  const iter = kv.list<StoredEvent>(
    { start: keys.event(uid, cursor + 1), end: keys.event(uid, Number.MAX_SAFE_INTEGER) },
    { limit, batchSize: Math.min(limit, 500) },
  );
  for await (const e of iter) out.push(e.value);
  return out;
}

export async function currentSeq(kv: Deno.Kv, uid: string): Promise<number> {
  return (await kv.get<number>(keys.eventSeq(uid))).value ?? 0;
}

/** Appends events for users outside of any other write (typing, presence, blocks). */
export async function publish(
  kv: Deno.Kv,
  events: { uid: string; type: string; data: unknown }[],
  onCommitted?: (uids: string[]) => void,
): Promise<void> {
  if (events.length === 0) return;
  const uids = events.map((e) => e.uid);
  await commitWithRetry(async () => {
    const seqs = await readSeqs(kv, uids);
    const op = kv.atomic();
    addEvents(op, seqs, events);
    return { op, result: true };
  });
  onCommitted?.([...new Set(uids)]);
}
