/**
 * Host leases: what keeps an idle stream's presence alive without any per-stream KV work. Every
 * process that holds event streams writes one lease (keys.presenceHost) every HOST_BEAT_MS; a
 * presence record names the host of each stream, and a stream counts as alive while its host's
 * lease is fresh. So 5,000 idle streams cost one write per process every 20 s, and a crashed
 * process's streams still age out (its lease goes stale), as heartbeats did before.
 */
import { log } from "../../services/core/log.ts";
import { afterCommit, committed } from "../after_commit.ts";
import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";

/** How often a process renews its lease (a third of the time after which it counts as gone). */
export const HOST_BEAT_MS = 20_000;
/** Leases are kept this long after their last renewal, then KV may drop them. */
const LEASE_KEEP_MS = 24 * 3600_000;

/** A host's lease (HostLease): when it last said it is alive (ms since epoch). */
export interface HostLease {
  at: number;
  /** The host closed (a graceful shutdown): it reads no more rings (kv/messaging/log_hosts.ts). */
  gone?: true;
}

interface Host {
  id: string;
  timer: ReturnType<typeof setInterval> | null;
  /** This host has written a lease (so it has one to close). */
  leased: boolean;
  /**
   * The lease as this host last committed it: only this host writes its own lease, so a reader
   * here needs no KV read for it (a presence change of a user whose streams are all here reads
   * the record alone). Unset until a renewal committed.
   */
  own?: HostLease;
}
const hosts = new WeakMap<Deno.Kv, Host>();

function host(kv: Deno.Kv): Host {
  let h = hosts.get(kv);
  if (!h) hosts.set(kv, h = { id: crypto.randomUUID(), timer: null, leased: false });
  return h;
}

/** This process's host id on `kv` (one per KV handle, so two workers are two hosts). */
export function hostId(kv: Deno.Kv): string {
  return host(kv).id;
}

/** Adds the renewal of this process's lease to an atomic (a blind set: it never conflicts). */
export function renewLease(kv: Deno.Kv, op: Deno.AtomicOperation, now: number) {
  const h = host(kv);
  h.leased = true;
  op.set(keys.presenceHost(h.id), { at: now } satisfies HostLease, { expireIn: LEASE_KEEP_MS });
  afterCommit(op, () => {
    if (!h.own?.gone && (h.own?.at ?? 0) < now) h.own = { at: now };
  });
}

/** Starts renewing this process's lease (idempotent); the timer does not keep Deno alive. */
export function startHostBeat(kv: Deno.Kv) {
  const h = host(kv);
  if (h.timer) return;
  h.timer = setInterval(() => {
    const op = kv.atomic();
    renewLease(kv, op, Date.now());
    op.commit().then((res) => res.ok && committed(op)).catch((e) =>
      log.warn("presence lease renewal failed", { reason: String(e) })
    );
  }, HOST_BEAT_MS);
  Deno.unrefTimer(h.timer);
}

/** Stops renewing (the server is closing; its streams have said goodbye). */
export function stopHostBeat(kv: Deno.Kv) {
  const h = hosts.get(kv);
  if (h?.timer) clearInterval(h.timer);
  if (h) h.timer = null;
}

/**
 * Marks this process's lease as closed, keeping its time (presence still dates its streams' last
 * sighting by it): hosts joining a log then drop it from the log's list at once, instead of once
 * the lease went stale, so writers stop ringing a process that is gone. Only a host that held a
 * lease writes one.
 */
export async function retireHost(kv: Deno.Kv) {
  const h = hosts.get(kv);
  if (!h?.leased) return;
  const closed: HostLease = { at: Date.now(), gone: true };
  // Read here as written there: closed (a renewal committing late does not reopen it here).
  h.own = closed;
  await kv.set(keys.presenceHost(h.id), closed, { expireIn: LEASE_KEEP_MS })
    .catch((e) => log.warn("closing the presence lease failed", { reason: String(e) }));
}

/** The leases of the given hosts that exist (absent: never written, or long gone). */
async function leases(kv: Deno.Kv, ids: Iterable<string>): Promise<Map<string, HostLease>> {
  const out = new Map<string, HostLease>();
  const own = hosts.get(kv);
  const list = [...new Set(ids)].filter((id) => {
    if (id !== own?.id || !own.own) return true;
    out.set(id, own.own);
    return false;
  });
  if (list.length === 0) return out;
  const entries = await getManyChunked<HostLease>(kv, list.map((id) => keys.presenceHost(id)));
  list.forEach((id, i) => {
    const l = entries[i].value;
    if (typeof l?.at === "number") out.set(id, l);
  });
  return out;
}

/** Of the given hosts, those whose lease is younger than `maxAgeMs` and not closed. */
export async function liveHosts(kv: Deno.Kv, ids: string[], maxAgeMs: number): Promise<string[]> {
  const found = await leases(kv, ids);
  const now = Date.now();
  return ids.filter((id) => {
    const l = found.get(id);
    return l !== undefined && !l.gone && now - l.at < maxAgeMs;
  });
}

/** When each of the given hosts last renewed its lease (absent: never, or long gone). */
export async function leaseTimes(kv: Deno.Kv, ids: Iterable<string>): Promise<Map<string, number>> {
  return new Map([...await leases(kv, ids)].map(([id, l]) => [id, l.at]));
}
