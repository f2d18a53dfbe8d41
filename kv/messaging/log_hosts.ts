/**
 * Which hosts (processes, kv/people/presence_hosts.ts) hold event streams of a log, and the rings
 * that wake them when another host appends to it. Each host kv.watches one key of its own (its
 * doorbell, keys.hostWake) instead of every log it streams: a watched key costs every one of its
 * writes a re-read and a wake-up even when the writer is the host itself, which had already
 * woken its streams directly (bus.notify), and 5,000 streamed users were 1,000 watches.
 *
 * A writer appending to a log reads its host list with the log's counter (readSeqs) and adds one
 * ring per other host to the same atomic; with one process, nothing. A host joins a log's list
 * before its first stream of that log reads it, and joining re-writes the log's counter, so a
 * writer that read the list before the join fails its check on the counter and reads it again:
 * every event committed after the join rings the host, every event before it is in the log the
 * stream reads next. A host leaves a list a while after its last stream of that log closed; one
 * that shuts down closes its lease (kv/people/presence_hosts.ts), so the next join drops it.
 */
import { ulid } from "../../services/core/ids.ts";
import { commitGrouped } from "../group_commit.ts";
import { keys } from "../keys.ts";
import { HOST_BEAT_MS, hostId, liveHosts, renewLease } from "../people/presence_hosts.ts";

/** What one ring tells a host (keys.hostRing). */
export interface HostRing {
  /** Logs that grew: their streams on the host read them. */
  logs: string[];
  /** Users whose sessions ended or rights changed: their streams there re-check. */
  revoked?: string[];
}

/** Rings a live host deletes once read; a dead host's go after this. */
const RING_KEEP_MS = 10 * 60_000;
const WAKE_KEEP_MS = 24 * 3600_000;
/** A listed host whose lease is older than this is gone (three missed renewals): dropped on join. */
const STALE_MS = 3 * HOST_BEAT_MS;

/** The hosts of a log's list other than this process. */
export function otherHosts(kv: Deno.Kv, entry: Deno.KvEntryMaybe<string[]>): string[] {
  const me = hostId(kv);
  return Array.isArray(entry.value) ? entry.value.filter((h) => h !== me) : [];
}

/** Adds the given rings to `op`: per host, one ring and its doorbell. */
export function ring(op: Deno.AtomicOperation, rings: ReadonlyMap<string, HostRing>): void {
  for (const [host, r] of rings) {
    const id = ulid();
    op.set(keys.hostRing(host, id), r, { expireIn: RING_KEEP_MS })
      .set(keys.hostWake(host), id, { expireIn: WAKE_KEEP_MS });
  }
}

/**
 * Puts this host on `logId`'s list (once; later calls find it there). Resolves once the join has
 * committed: only then may the host's stream read the log and rely on rings for what follows.
 * Hosts whose lease went stale or was closed (a shut-down process) leave the list here. A log whose owner is being erased is not
 * joined (its streams are ending).
 */
export async function joinLog(kv: Deno.Kv, logId: string): Promise<void> {
  await commitGrouped(kv, [logId], async (op) => {
    const [seq, hosts, erasing] = await kv.getMany<[number, string[], unknown]>([
      keys.eventSeq(logId),
      keys.logHosts(logId),
      keys.erasing(logId),
    ]);
    const me = hostId(kv);
    const listed = Array.isArray(hosts.value) ? hosts.value : [];
    if (listed.includes(me) || erasing.versionstamp) return null;
    const now = Date.now();
    const kept = await liveHosts(kv, listed, STALE_MS);
    // The counter's re-write (0 for a log not started yet) fails every writer that read the list
    // without this host: they read it again, with it.
    op.check(seq, hosts, erasing)
      .set(keys.logHosts(logId), [...kept, me])
      .set(keys.eventSeq(logId), seq.value ?? 0);
    // Other hosts judge the listed ones by their leases: this one's is fresh from now on.
    renewLease(kv, op, now);
    return true;
  }, { background: true });
}

/**
 * Takes this host off `logId`'s list, unless `stillWanted()` says a stream of it opened here
 * again meanwhile (checked when the write is built, after any join queued before it).
 */
export async function leaveLog(kv: Deno.Kv, logId: string, stillWanted: () => boolean) {
  await commitGrouped(kv, [logId], async (op) => {
    if (stillWanted()) return null;
    const hosts = await kv.get<string[]>(keys.logHosts(logId));
    const me = hostId(kv);
    if (!Array.isArray(hosts.value) || !hosts.value.includes(me)) return null;
    const rest = hosts.value.filter((h) => h !== me);
    op.check(hosts);
    if (rest.length) op.set(keys.logHosts(logId), rest);
    else op.delete(keys.logHosts(logId));
    return true;
  }, { background: true });
}

/** Rings one read takes at most: a full page means more may be waiting. */
export const RING_PAGE = 1000;

/** This host's rings, oldest first (at most RING_PAGE), with their keys to delete once handled. */
export async function readRings(kv: Deno.Kv): Promise<{ key: Deno.KvKey; ring: HostRing }[]> {
  const out: { key: Deno.KvKey; ring: HostRing }[] = [];
  const iter = kv.list<HostRing>({ prefix: keys.hostRings(hostId(kv)) }, {
    limit: RING_PAGE,
    batchSize: 500,
  });
  for await (const e of iter) out.push({ key: e.key, ring: e.value });
  return out;
}

/** Deletes handled rings (blind deletes, in atomics within KV's mutation limit). */
export async function dropRings(kv: Deno.Kv, ringKeys: Deno.KvKey[]): Promise<void> {
  for (let i = 0; i < ringKeys.length; i += 500) {
    const op = kv.atomic();
    for (const k of ringKeys.slice(i, i + 500)) op.delete(k);
    await op.commit();
  }
}
