/**
 * Presence: a user is online while any of their event streams is open, on any instance. The
 * truth is one KV record per user holding each open stream's last heartbeat; a stream counts
 * while its heartbeat is younger than PRESENCE_TTL_MS, so a stream killed by a crash simply
 * ages out (timestamps are checked here; KV's expireIn deletes lazily and is not used).
 * One record per user (not one key per stream) lets a dialog list read any number of users'
 * presence with getMany.
 *
 * Contacts hear `presence` events only on real transitions: the first stream opening, and the
 * last one closing after a grace period (a page reload or a click to another page of the site
 * reopens the stream within it, and nobody hears anything). The transition is decided in the same
 * atomic that records it (`announced`), so two instances never both announce. A crashed process
 * sends no offline event; readers still see the user offline once the heartbeat is stale.
 */
import type { Deps } from "../../services/core/context.ts";
import { log } from "../../services/core/log.ts";
import { commitWithRetry } from "../atomic.ts";
import { getManyChunked } from "../batch.ts";
import { eachLimited } from "./contact_index.ts";
import { publish } from "../messaging/events.ts";
import { keys } from "../keys.ts";

/** A stream whose last heartbeat is older than this is gone (three missed 20 s heartbeats). */
export const PRESENCE_TTL_MS = 60_000;
/** Streams remembered per user; the oldest are forgotten beyond this. */
const MAX_STREAMS = 100;
/** Presence events go to online partners among this many most recent dialogs. */
const FANOUT_DIALOGS = 1000;

export interface PresenceRecord {
  /** Open stream id → its last heartbeat (ms since epoch). */
  streams: Record<string, number>;
  /** What contacts were last told: online (true) or offline. */
  announced: boolean;
  /** When the last stream closed (ms); heartbeats of stale streams also count as seen. */
  last_seen: number | null;
}

export interface PresenceView {
  online: boolean;
  last_seen: string | null;
}

function liveStreams(r: PresenceRecord | null, now: number): string[] {
  if (!r) return [];
  return Object.keys(r.streams).filter((id) => now - r.streams[id] < PRESENCE_TTL_MS);
}

/** How a presence record reads at `now`: online if any stream is alive, and when last seen. */
export function presenceView(r: PresenceRecord | null, now = Date.now()): PresenceView {
  if (!r) return { online: false, last_seen: null };
  const last = Math.max(r.last_seen ?? 0, ...Object.values(r.streams));
  return {
    online: liveStreams(r, now).length > 0,
    last_seen: last > 0 ? new Date(last).toISOString() : null,
  };
}

/** Presence of each of `uids`. */
export async function presenceOf(kv: Deno.Kv, uids: string[]): Promise<Map<string, PresenceView>> {
  const now = Date.now();
  const entries = await getManyChunked<PresenceRecord>(kv, uids.map((u) => keys.presence(u)));
  return new Map(uids.map((u, i) => [u, presenceView(entries[i].value, now)]));
}

/**
 * Changes `uid`'s record with `fn` (given a copy without dead streams) in one checked atomic.
 * Returns the online/offline announcement that the change decided on, if any. Only a stream's
 * hello creates a record: a late goodbye must not bring back an erased user's presence.
 */
async function change(
  kv: Deno.Kv,
  uid: string,
  fn: (r: PresenceRecord, now: number) => boolean | null,
  create = false,
): Promise<boolean | null> {
  return await commitWithRetry(async () => {
    const entry = await kv.get<PresenceRecord>(keys.presence(uid));
    if (!entry.value && !create) return null;
    const now = Date.now();
    const old = entry.value ?? { streams: {}, announced: false, last_seen: null };
    const r: PresenceRecord = { ...old, streams: {} };
    for (const id of liveStreams(old, now)) r.streams[id] = old.streams[id];
    // Streams that died without a goodbye still date the last sighting.
    const dead = Object.values(old.streams).filter((t) => now - t >= PRESENCE_TTL_MS);
    if (dead.length) r.last_seen = Math.max(r.last_seen ?? 0, ...dead);
    const announce = fn(r, now);
    const ids = Object.keys(r.streams).sort((a, b) => r.streams[b] - r.streams[a]);
    for (const id of ids.slice(MAX_STREAMS)) delete r.streams[id];
    return { op: kv.atomic().check(entry).set(keys.presence(uid), r), result: announce };
  }) ?? null;
}

/**
 * Stream `sid` opened or is still alive; announces "online" unless contacts already think so:
 * another stream is alive, or the last one closed within the grace period (a reload).
 */
function heartbeat(kv: Deno.Kv, uid: string, sid: string, graceMs: number) {
  return change(kv, uid, (r, now) => {
    const wasOnline = Object.keys(r.streams).length > 0;
    const reopened = r.last_seen !== null && now - r.last_seen <= graceMs;
    r.streams[sid] = now;
    if (r.announced && (wasOnline || reopened)) return null;
    r.announced = true;
    return true;
  }, true);
}

/** Stream `sid` closed; the user stays announced online until settle() finds no stream. */
function leave(kv: Deno.Kv, uid: string, sid: string) {
  return change(kv, uid, (r, now) => {
    delete r.streams[sid];
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
  const { kv, bus } = deps;
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
  const online = list.filter((p) => pres.get(p)!.online);
  const data = { user_id: uid, ...view };
  // ≤ 10 users per atomic: each user's log append carries one check.
  const chunks: string[][] = [];
  for (let i = 0; i < online.length; i += 10) chunks.push(online.slice(i, i + 10));
  await eachLimited(chunks, 4, (chunk) =>
    publish(
      kv,
      chunk.map((p) => ({ uid: p, type: "presence", data })),
      (uids) => bus.notify(uids),
    ));
}

/** Pending presence work per KV handle, so a server can finish it before closing KV. */
interface PendingWork {
  tasks: Set<Promise<void>>;
  timers: Map<ReturnType<typeof setTimeout>, () => void>;
}
const pending = new Map<Deno.Kv, PendingWork>();

function work(kv: Deno.Kv) {
  let w = pending.get(kv);
  if (!w) pending.set(kv, w = { tasks: new Set(), timers: new Map() });
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
  if (!w) return;
  for (const [timer, run] of w.timers) {
    clearTimeout(timer);
    run();
  }
  while (w.tasks.size) await Promise.all([...w.tasks]);
  pending.delete(kv);
}

/**
 * Presence of one open event stream of `uid`: call `beat()` with the stream's heartbeat and
 * `close()` when it ends. Calls are queued so a close never overtakes the open.
 */
export function trackStream(deps: Deps, uid: string) {
  const { kv } = deps;
  const graceMs = deps.cfg.presenceGraceMs;
  const sid = crypto.randomUUID();
  let chain: Promise<unknown> = Promise.resolve();
  const then = (step: () => Promise<unknown>) => {
    chain = chain.then(step).catch((e) =>
      log.warn("presence update failed", { reason: String(e) })
    );
    track(kv, chain);
  };
  const beat = () =>
    then(async () => {
      if (await heartbeat(kv, uid, sid, graceMs) !== null) await announce(deps, uid);
    });
  const settleLater = () => {
    const w = work(kv);
    const run = () => {
      w.timers.delete(timer);
      then(async () => {
        if (await settle(kv, uid) !== null) await announce(deps, uid);
      });
    };
    const timer = setTimeout(run, graceMs);
    w.timers.set(timer, run);
  };
  beat();
  return {
    beat,
    close: () =>
      then(async () => {
        await leave(kv, uid, sid);
        settleLater();
      }),
  };
}
