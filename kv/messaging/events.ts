import { ApiError } from "../../services/core/errors.ts";
import { commitGrouped } from "../group_commit.ts";
import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";
import type { StoredEvent } from "../types.ts";

/** How long events stay replayable for a reconnecting client. */
export const EVENT_TTL_MS = 3 * 24 * 3600 * 1000;

export interface SeqState {
  uid: string;
  seq: number;
  entry: Deno.KvEntryMaybe<number>;
  /** The user is being erased (keys.erasing): nothing may be written about them. */
  erasing: boolean;
}

/**
 * Reads the current event counters of the given users (to check + bump in one atomic), and
 * whether each is being erased. An erase re-writes the counter together with its marker, so an
 * atomic that checks a counter read here cannot commit once the erase has begun.
 */
export async function readSeqs(kv: Deno.Kv, uids: string[]): Promise<Map<string, SeqState>> {
  const unique = [...new Set(uids)];
  const entries = await getManyChunked<unknown>(
    kv,
    unique.flatMap((u) => [keys.eventSeq(u), keys.erasing(u)]),
  );
  return new Map(unique.map((uid, i) => {
    const entry = entries[2 * i] as Deno.KvEntryMaybe<number>;
    return [uid, { uid, seq: entry.value ?? 0, entry, erasing: entries[2 * i + 1].value !== null }];
  }));
}

/** 410 `user_deleted`: a write involving someone whose erasure is under way. */
export function userDeleted(uid: string, field = "peer"): ApiError {
  return new ApiError(410, "user_deleted", `user ${uid} is being deleted`, field);
}

/** Refuses (410) a write when any of the users read by readSeqs is being erased. */
export function refuseErasing(seqs: Map<string, SeqState>, field?: (uid: string) => string) {
  for (const s of seqs.values()) if (s.erasing) throw userDeleted(s.uid, field?.(s.uid));
}

/**
 * Adds events to `op`, each to its user's log with the next gap-free number, plus one check per
 * user read by readSeqs (also those without an event here: e.g. the typist of a typing event,
 * so an erase of either side stops the write). Returns the numbers assigned, in input order.
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
  for (const s of seqs.values()) {
    op.check(s.entry);
    const n = next.get(s.uid);
    if (n !== undefined) op.set(keys.eventSeq(s.uid), n);
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

/** Users per publish atomic: one check each, and KV Connect allows 10 checks. */
const USERS_PER_ATOMIC = 10;

/**
 * Appends events for users outside of any other write (presence, resets), in atomics of at most
 * ten users each (any number of users works; each user's events stay in one atomic, in order).
 * Events for users being erased are dropped: they are about to lose their log anyway. With
 * `existingLogs`, so are events for users who have no log at all.
 */
export async function publish(
  kv: Deno.Kv,
  events: { uid: string; type: string; data: unknown }[],
  onCommitted?: (uids: string[]) => void,
  opts: { existingLogs?: boolean } = {},
): Promise<void> {
  const byUser = new Map<string, { uid: string; type: string; data: unknown }[]>();
  for (const e of events) byUser.set(e.uid, [...byUser.get(e.uid) ?? [], e]);
  const users = [...byUser.keys()];
  for (let i = 0; i < users.length; i += USERS_PER_ATOMIC) {
    const group = users.slice(i, i + USERS_PER_ATOMIC);
    // May share an atomic with sends of other users (kv/group_commit.ts).
    const uids = await commitGrouped(kv, group, async (op) => {
      const seqs = await readSeqs(kv, group);
      for (const s of seqs.values()) {
        // existingLogs: a user without a log has no stream to tell, and may have just been
        // erased (a log written now would outlive them). Skipped users are not checked: a log
        // that appears after this read belongs to a fresh stream, which needs no reset.
        if (s.erasing || (opts.existingLogs && !s.entry.versionstamp)) seqs.delete(s.uid);
      }
      if (seqs.size === 0) return null;
      addEvents(op, seqs, [...seqs.keys()].flatMap((u) => byUser.get(u)!));
      return [...seqs.keys()];
    });
    if (uids) onCommitted?.(uids);
  }
}
