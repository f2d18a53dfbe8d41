/**
 * Presence: a user is online while any of their event streams is open, on any instance. The
 * truth is one KV record per user holding each open stream and the host (process) holding it; a
 * stream counts while its host's lease (kv/people/presence_hosts.ts) is younger than
 * PRESENCE_TTL_MS, so an idle stream costs no KV work at all, and a stream killed by a crash simply
 * ages out (timestamps are checked here; KV's expireIn deletes lazily and is not used).
 * One record per user (not one key per stream) lets a dialog list read any number of users'
 * presence with getMany.
 *
 * Contacts hear `presence` events only on real transitions: the first stream opening, and the
 * last one closing after a grace period (a page reload or a click to another page of the site
 * reopens the stream within it, and nobody hears anything). The transition is decided in the same
 * atomic that records it (`announced`), so two instances never both announce. A crashed process
 * sends no offline event; readers still see the user offline once its lease is stale.
 *
 * The record is also the per-user stream cap (cfg.maxStreams, shared by every instance): stream
 * ids sort by opening time, and a hello that finds more live streams than the cap
 * drops the oldest from the record. A dropped stream of this process is ended directly; one of
 * another instance hears it through a `stream_closed` event in the user's own log (its stream is
 * already woken by that log), so the cap costs KV work only when it bites. Changes of one user's
 * record from one process are queued behind each other, so a user's many tabs never make this
 * process's atomics conflict among themselves.
 */
import type { Deps } from "../../services/core/context.ts";
import { log } from "../../services/core/log.ts";
import { commitGrouped } from "../group_commit.ts";
import { getManyChunked } from "../batch.ts";
import { eachLimited } from "./contact_index.ts";
import { publish } from "../messaging/events.ts";
import { keys } from "../keys.ts";
import {
  hostId,
  leaseTimes,
  renewLease,
  retireHost,
  startHostBeat,
  stopHostBeat,
} from "./presence_hosts.ts";

/**
 * A stream last seen longer ago than this is gone: its own time (when it opened) and its host's
 * lease (kv/people/presence_hosts.ts, renewed every 20 s) are both older.
 */
export const PRESENCE_TTL_MS = 60_000;
/** Presence events go to online partners among this many most recent dialogs. */
const FANOUT_DIALOGS = 1000;

export interface PresenceRecord {
  /** Open stream id → when it was last written (its hello; ms since epoch). */
  streams: Record<string, number>;
  /** Open stream id → the host (process) holding it; alive while that host's lease is fresh. */
  hosts?: Record<string, string>;
  /** What contacts were last told: online (true) or offline. */
  announced: boolean;
  /** When the last stream closed (ms); stale streams' last signs of life also count as seen. */
  last_seen: number | null;
}

export interface PresenceView {
  online: boolean;
  last_seen: string | null;
}

type Leases = ReadonlyMap<string, number>;
const NO_LEASES: Leases = new Map();

/** When stream `id` was last known alive: its own time, or its host's last lease renewal. */
function lastSign(r: PresenceRecord, id: string, leases: Leases): number {
  const host = r.hosts?.[id];
  return Math.max(r.streams[id], (host && leases.get(host)) || 0);
}

function liveStreams(r: PresenceRecord | null, now: number, leases: Leases): string[] {
  if (!r) return [];
  return Object.keys(r.streams).filter((id) => now - lastSign(r, id, leases) < PRESENCE_TTL_MS);
}

/** The hosts a record's streams are on. */
function hostsOf(r: PresenceRecord | null): string[] {
  return r?.hosts ? Object.values(r.hosts) : [];
}

/**
 * How a presence record reads at `now`, given its hosts' leases: online if any stream is alive,
 * and when last seen.
 */
export function presenceView(
  r: PresenceRecord | null,
  now = Date.now(),
  leases: Leases = NO_LEASES,
): PresenceView {
  if (!r) return { online: false, last_seen: null };
  const signs = Object.keys(r.streams).map((id) => lastSign(r, id, leases));
  const last = Math.min(now, Math.max(r.last_seen ?? 0, ...signs));
  return {
    online: liveStreams(r, now, leases).length > 0,
    last_seen: last > 0 ? new Date(last).toISOString() : null,
  };
}

/** Presence of each of `uids`. */
export async function presenceOf(kv: Deno.Kv, uids: string[]): Promise<Map<string, PresenceView>> {
  const now = Date.now();
  const entries = await getManyChunked<PresenceRecord>(kv, uids.map((u) => keys.presence(u)));
  const leases = await leaseTimes(kv, entries.flatMap((e) => hostsOf(e.value)));
  return new Map(uids.map((u, i) => [u, presenceView(entries[i].value, now, leases)]));
}

/**
 * Changes `uid`'s record with `fn` (given a copy without dead streams) in one checked atomic.
 * Returns the online/offline announcement that the change decided on, if any. Only a stream's
 * hello creates a record: a late goodbye must not bring back an erased user's presence.
 */
async function change<T>(
  kv: Deno.Kv,
  uid: string,
  fn: (r: PresenceRecord, now: number) => T | null,
  create = false,
): Promise<T | null> {
  // A hello or goodbye may share a send's atomic (kv/group_commit.ts): stream bursts (a restart,
  // a network blip) then cost a few commits, not one each.
  const out = await commitGrouped(kv, [uid], async (op) => {
    const entry = await kv.get<PresenceRecord>(keys.presence(uid));
    if (!entry.value && !create) return null;
    const now = Date.now();
    const old = entry.value ?? { streams: {}, announced: false, last_seen: null };
    const leases = await leaseTimes(kv, hostsOf(old));
    const r: PresenceRecord = { ...old, streams: {}, hosts: {} };
    const live = new Set(liveStreams(old, now, leases));
    for (const id of live) {
      r.streams[id] = old.streams[id];
      if (old.hosts?.[id]) r.hosts![id] = old.hosts[id];
    }
    // Streams that died without a goodbye still date the last sighting.
    const dead = Object.keys(old.streams).filter((id) => !live.has(id));
    if (dead.length) {
      r.last_seen = Math.max(r.last_seen ?? 0, ...dead.map((id) => lastSign(old, id, leases)));
    }
    const result = fn(r, now);
    // Nothing to tell and nothing changed (a settle after a reload found the new stream): no
    // write, which spares a reconnect wave one commit per stream.
    if (result === null && entry.value && sameRecord(entry.value, r)) return { result };
    op.check(entry).set(keys.presence(uid), r);
    // A record naming this host comes with a fresh lease for it.
    if (Object.values(r.hosts!).includes(hostId(kv))) renewLease(kv, op, now);
    return { result };
  }, { background: true });
  return out?.result ?? null;
}

/** Whether two records say the same (streams and hosts compared by entry, not by order). */
function sameRecord(a: PresenceRecord, b: PresenceRecord): boolean {
  const same = (x: Record<string, unknown> = {}, y: Record<string, unknown> = {}) =>
    Object.keys(x).length === Object.keys(y).length &&
    Object.entries(x).every(([k, v]) => y[k] === v);
  return a.announced === b.announced && a.last_seen === b.last_seen &&
    same(a.streams, b.streams) && same(a.hosts, b.hosts);
}

/** What a hello decided: announce "online" or not, and which streams the cap dropped. */
interface Beat {
  announce: boolean;
  evicted: string[];
}

/**
 * Stream `sid` opened or is still alive; announces "online" unless contacts already think so:
 * another stream is alive, or the last one closed within the grace period (a reload). Beyond
 * `cap` live streams, the oldest are dropped (possibly `sid` itself, when it comes back late).
 */
function hello(kv: Deno.Kv, uid: string, sid: string, graceMs: number, cap: number) {
  return change<Beat>(kv, uid, (r, now) => {
    const wasOnline = Object.keys(r.streams).length > 0;
    const reopened = r.last_seen !== null && now - r.last_seen <= graceMs;
    r.streams[sid] = now;
    r.hosts![sid] = hostId(kv);
    const evicted = Object.keys(r.streams).sort().slice(0, -cap);
    for (const id of evicted) {
      delete r.streams[id];
      delete r.hosts![id];
    }
    if (r.announced && (wasOnline || reopened)) return { announce: false, evicted };
    r.announced = true;
    return { announce: true, evicted };
  }, true);
}

/** Stream `sid` closed; the user stays announced online until settle() finds no stream. */
function leave(kv: Deno.Kv, uid: string, sid: string) {
  return change(kv, uid, (r, now) => {
    delete r.streams[sid];
    delete r.hosts![sid];
    r.last_seen = now;
    return null;
  });
}

/** After the grace period: announces "offline" if no stream came back. */
function settle(kv: Deno.Kv, uid: string) {
  return change(kv, uid, (r) => {
    if (Object.keys(r.streams).length > 0 || !r.announced) return null;
    r.announced = false;
    return false;
  });
}

/** Tells `uid`'s online dialog partners that `uid` went online or offline. */
async function announce(deps: Deps, uid: string) {
  const { kv } = deps;
  const view = (await presenceOf(kv, [uid])).get(uid)!;
  const partners = new Set<string>();
  const iter = kv.list<string>({ prefix: keys.dialogsByTime(uid) }, {
    reverse: true,
    limit: FANOUT_DIALOGS,
    batchSize: 500,
  });
  for await (const e of iter) partners.add(e.value);
  const list = [...partners];
  const pres = await presenceOf(kv, list);
  // Nobody `uid` blocked hears about them (kv/people/visible_presence.ts).
  const live = list.filter((p) => pres.get(p)!.online);
  const blocks = await getManyChunked<{ blocked?: boolean }>(
    kv,
    live.map((p) => keys.contact(uid, p)),
  );
  const online = live.filter((_, i) => !blocks[i].value?.blocked);
  const data = { user_id: uid, ...view };
  // ≤ 10 users per atomic: each user's log append carries one check.
  const chunks: string[][] = [];
  for (let i = 0; i < online.length; i += 10) chunks.push(online.slice(i, i + 10));
  await eachLimited(chunks, 4, (chunk) =>
    publish(
      kv,
      chunk.map((p) => ({ uid: p, type: "presence", data })),
    ));
}

/** Pending presence work per KV handle, so a server can finish it before closing KV. */
interface PendingWork {
  tasks: Set<Promise<void>>;
  timers: Map<ReturnType<typeof setTimeout>, () => void>;
  /** Per user: the tail of the queue of that user's presence changes in this process. */
  queues: Map<string, Promise<unknown>>;
  /** Per user: their streams open in this process. */
  open: Map<string, number>;
}
const pending = new Map<Deno.Kv, PendingWork>();

function work(kv: Deno.Kv) {
  let w = pending.get(kv);
  if (!w) {
    pending.set(
      kv,
      w = { tasks: new Set(), timers: new Map(), queues: new Map(), open: new Map() },
    );
  }
  return w;
}

function track(kv: Deno.Kv, p: Promise<unknown>) {
  const w = work(kv);
  const t = p.then(() => {}, (e) => log.warn("presence update failed", { reason: String(e) }))
    .finally(() => w.tasks.delete(t));
  w.tasks.add(t);
}

/** Runs presence work due later (grace timers) now, and waits for all of it. */
export async function finishPresence(kv: Deno.Kv) {
  const w = pending.get(kv);
  // A close still queued sets its grace timer only when it runs: repeat until nothing is left.
  while (w && (w.timers.size || w.tasks.size)) {
    for (const [timer, run] of w.timers) {
      clearTimeout(timer);
      run();
    }
    await Promise.all([...w.tasks]);
  }
  stopHostBeat(kv);
  await retireHost(kv);
  pending.delete(kv);
}

/** What a tracked stream is told when the per-user cap drops it (log_stream.ts ends it). */
export interface Evictable {
  evicted(): void;
}

/** Streams of this process by id, so the cap can end them (filled by trackStream). */
const localStreams = new Map<string, StreamPresence>();
/**
 * Counts `uid`'s open streams of this process on `kv` (a settle of a user with one has nothing
 * to do).
 */
function countLocal(kv: Deno.Kv, uid: string, by: 1 | -1) {
  const open = work(kv).open;
  const n = (open.get(uid) ?? 0) + by;
  if (n > 0) open.set(uid, n);
  else open.delete(uid);
}

/** A stream id that sorts by opening time (the cap drops the oldest first). */
function streamId(): string {
  return `${Date.now().toString(36).padStart(9, "0")}-${crypto.randomUUID()}`;
}

/** The event a stream of another instance reads to learn the cap dropped it (log_stream.ts). */
export const STREAM_CLOSED = "stream_closed";

/** Ends the dropped streams: this process's at once, other instances' through the user's log. */
async function evict(deps: Deps, uid: string, ids: string[]) {
  const remote = ids.filter((id) => {
    const local = localStreams.get(id);
    local?.drop();
    return !local;
  });
  if (!remote.length) return;
  await publish(
    deps.kv,
    remote.map((id) => ({
      uid,
      type: STREAM_CLOSED,
      data: { stream_id: id, reason: "too_many_streams" },
    })),
  );
}

/**
 * Presence of one open event stream of `uid`: its hello is written now, and `close()` when it
 * ends; in between it costs nothing (this host's lease keeps it alive). The stream's `evicted()`
 * runs if the per-user cap drops it. Changes are queued per user so a close never overtakes the
 * open and local changes never conflict. One object per stream, no closures kept.
 */
class StreamPresence {
  readonly id = streamId();
  /** A dropped stream is already out of the record: its close has nothing to write. */
  #dropped = false;

  constructor(readonly deps: Deps, readonly uid: string, readonly stream: Evictable) {
    localStreams.set(this.id, this);
    countLocal(deps.kv, uid, 1);
    startHostBeat(deps.kv);
    this.#then(() => this.#open());
  }

  /** The cap dropped this stream. */
  drop() {
    if (localStreams.delete(this.id)) countLocal(this.deps.kv, this.uid, -1);
    this.#dropped = true;
    this.stream.evicted();
  }

  /** The stream ended: a goodbye, and the user's presence settles after the grace period. */
  close() {
    if (localStreams.delete(this.id)) countLocal(this.deps.kv, this.uid, -1);
    if (this.#dropped) return;
    this.#then(async () => {
      await leave(this.deps.kv, this.uid, this.id);
      this.#settleLater();
    });
  }

  async #open() {
    const { kv, cfg } = this.deps;
    const b = await hello(kv, this.uid, this.id, cfg.presenceGraceMs, cfg.maxStreams);
    if (!b) return;
    if (b.evicted.length) await evict(this.deps, this.uid, b.evicted);
    if (b.announce) await announce(this.deps, this.uid);
  }

  #settleLater() {
    const { deps, uid } = this;
    const w = work(deps.kv);
    const run = () => {
      w.timers.delete(timer);
      this.#then(async () => {
        // The user is back here (a reload, a reconnect): nobody is to hear "offline", and the
        // stream's hello, queued before or after this, keeps contacts' "online" as it is.
        if (w.open.has(uid)) return;
        if (await settle(deps.kv, uid) !== null) await announce(deps, uid);
      });
    };
    const timer = setTimeout(run, deps.cfg.presenceGraceMs);
    w.timers.set(timer, run);
  }

  /** Queues `step` behind this user's earlier presence changes in this process. */
  #then(step: () => Promise<unknown>) {
    const { kv } = this.deps;
    const w = work(kv);
    const uid = this.uid;
    const next = (w.queues.get(uid) ?? Promise.resolve()).then(step).catch((e) =>
      log.warn("presence update failed", { reason: String(e) })
    );
    w.queues.set(uid, next);
    next.finally(() => {
      if (w.queues.get(uid) === next) w.queues.delete(uid);
    });
    track(kv, next);
  }
}

/** Tracks the presence of one open event stream of `uid` (see StreamPresence). */
export function trackStream(deps: Deps, uid: string, stream: Evictable): StreamPresence {
  return new StreamPresence(deps, uid, stream);
}
