/**
 * The admin event log: what the live monitor streams (new messages of all users, deletions,
 * complaints, bans). It is an ordinary gap-free event log (kv/messaging/events.ts) under the reserved id
 * ADMIN_LOG, so services/realtime/log_stream.ts streams and replays it exactly like a user's log.
 *
 * Appends happen after the message's own commit, never inside it: one global counter checked by
 * every send would serialise all sends of all dialogs. Instead, each process funnels its admin
 * events through one appender that commits them in batches, so contention on the counter is per
 * process, not per message. A crash between a send and its append loses only that live frame;
 * the message itself and its feed index entry (written atomically with it) remain. Each batch
 * goes through group commit (kv/group_commit.ts) under the admin log as its owner: on a local
 * file it joins the next batch of sends instead of costing a commit (an fsync) of its own.
 */
import { log } from "../../services/core/log.ts";
import { commitGrouped } from "../group_commit.ts";
import { addEvents, readSeqs } from "../messaging/events.ts";
import { ADMIN_LOG } from "../keys.ts";

export { ADMIN_LOG };

/** Events per atomic: each may carry a 4,000-character text twice (masked and original). */
const BATCH = 16;
/**
 * How long a drain waits for more events before its first append: at a few hundred sends a
 * second this turns one admin-log commit per send into one per several, for a monitor frame
 * that comes a few milliseconds later.
 */
const GATHER_MS = 10;

interface Pending {
  type: string;
  data: unknown;
  done: () => void;
}

interface Appender {
  items: Pending[];
  running: boolean;
  /** Resolves when the current drain has appended everything queued. */
  drained: Promise<void>;
}

const appenders = new WeakMap<Deno.Kv, Appender>();

async function drain(kv: Deno.Kv, a: Appender) {
  a.running = true;
  try {
    await new Promise((r) => setTimeout(r, GATHER_MS));
    while (a.items.length) {
      const batch = a.items.splice(0, BATCH);
      try {
        await commitGrouped(kv, [ADMIN_LOG], async (op) => {
          const seqs = await readSeqs(kv, [ADMIN_LOG]);
          addEvents(op, seqs, batch.map((e) => ({ uid: ADMIN_LOG, type: e.type, data: e.data })));
          return true;
        }, { background: true });
      } catch (e) {
        log.warn("admin event log append failed", { reason: String(e), events: batch.length });
      }
      for (const p of batch) p.done();
    }
  } finally {
    a.running = false;
  }
}

/**
 * Appends events to the admin log; resolves once they are committed (or the append failed and
 * was logged: the admin log never fails the action that produced it).
 */
export function publishAdmin(
  kv: Deno.Kv,
  events: { type: string; data: unknown }[],
): Promise<void> {
  if (events.length === 0) return Promise.resolve();
  let a = appenders.get(kv);
  if (!a) {
    a = { items: [], running: false, drained: Promise.resolve() };
    appenders.set(kv, a);
  }
  const appender = a;
  const promise = new Promise<void>((resolve) => {
    let left = events.length;
    const done = () => {
      if (--left === 0) resolve();
    };
    for (const e of events) appender.items.push({ ...e, done });
  });
  if (!appender.running) appender.drained = drain(kv, appender);
  return promise;
}

/** Waits until every queued admin event is appended (before KV closes). */
export async function finishAdminFeed(kv: Deno.Kv): Promise<void> {
  await appenders.get(kv)?.drained;
}
