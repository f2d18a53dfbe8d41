import { ApiError } from "../../services/core/errors.ts";
import { commitGrouped } from "../group_commit.ts";
import { afterCommit, appended } from "../after_commit.ts";
import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";
import { type HostRing, otherHosts, ring } from "./log_hosts.ts";
import type { StoredEvent } from "../types.ts";

/** How long events stay replayable for a reconnecting client. */
export const EVENT_TTL_MS = 3 * 24 * 3600 * 1000;

export interface SeqState {
  uid: string;
  seq: number;
  entry: Deno.KvEntryMaybe<number>;
  /** The user is being erased (keys.erasing): nothing may be written about them. */
  erasing: boolean;
  /** Other hosts holding streams of this log (keys.logHosts): an append rings them. */
  remote: string[];
  /** The KV it was read from (an append wakes that KV's streams of this process). */
  kv: Deno.Kv;
}

/** The keys readSeqs reads for each user, in order (a caller may fold them into its own getMany). */
export function seqKeys(uid: string): Deno.KvKey[] {
  return [keys.eventSeq(uid), keys.erasing(uid), keys.logHosts(uid)];
}

/** The SeqState of `uid` from the entries of seqKeys(uid), in order. */
export function seqState(
  kv: Deno.Kv,
  uid: string,
  [entry, erasing, hosts]: Deno.KvEntryMaybe<unknown>[],
): SeqState {
  const seqEntry = entry as Deno.KvEntryMaybe<number>;
  return {
    uid,
    seq: seqEntry.value ?? 0,
    entry: seqEntry,
    erasing: erasing.value !== null,
    remote: otherHosts(kv, hosts as Deno.KvEntryMaybe<string[]>),
    kv,
  };
}

/**
 * Reads the current event counters of the given users (to check + bump in one atomic), whether
 * each is being erased, and which other hosts stream their logs (kv/messaging/log_hosts.ts). An
 * erase re-writes the counter together with its marker, and a host joining a log re-writes it
 * too, so an atomic that checks a counter read here cannot commit once either has happened.
 */
export async function readSeqs(kv: Deno.Kv, uids: string[]): Promise<Map<string, SeqState>> {
  const unique = [...new Set(uids)];
  const entries = await getManyChunked<unknown>(kv, unique.flatMap(seqKeys));
  return new Map(unique.map((uid, i) => [uid, seqState(kv, uid, entries.slice(3 * i, 3 * i + 3))]));
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
 * so an erase of either side stops the write), and one ring per other host streaming a log that
 * got events (kv/messaging/log_hosts.ts). Returns the numbers assigned, in input order.
 */
export function addEvents(
  op: Deno.AtomicOperation,
  seqs: Map<string, SeqState>,
  events: { uid: string; type: string; data: unknown }[],
): number[] {
  const next = new Map<string, number>();
  const byLog = new Map<string, StoredEvent[]>();
  const assigned = events.map((e) => {
    const s = seqs.get(e.uid);
    if (!s) throw new Error(`readSeqs did not include ${e.uid}`);
    const n = (next.get(e.uid) ?? s.seq) + 1;
    next.set(e.uid, n);
    const stored: StoredEvent = { seq: n, type: e.type, data: e.data };
    op.set(keys.event(e.uid, n), stored, { expireIn: EVENT_TTL_MS });
    const logged = byLog.get(e.uid);
    if (logged) logged.push(stored);
    else byLog.set(e.uid, [stored]);
    return n;
  });
  const rings = new Map<string, HostRing>();
  for (const s of seqs.values()) {
    op.check(s.entry);
    const n = next.get(s.uid);
    if (n === undefined) continue;
    op.set(keys.eventSeq(s.uid), n);
    for (const host of s.remote) {
      const r = rings.get(host) ?? { logs: [] };
      rings.set(host, r);
      r.logs.push(s.uid);
    }
  }
  ring(op, rings);
  // This process's streams of these logs get the events once they are committed.
  const kv = seqs.values().next().value?.kv;
  if (kv && byLog.size) afterCommit(op, () => appended(kv, byLog));
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
    }, { background: true });
    if (uids) onCommitted?.(uids);
  }
}
