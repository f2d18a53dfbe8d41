/**
 * Work that must follow a write's commit, registered where the write is built: an event append
 * registers the wake of this process's streams (kv/messaging/events.ts), so every writer of an
 * event log wakes them, whether or not it has the bus at hand (the hourly clean-up, the admin
 * log's appender). Run by commitWithRetry (kv/atomic.ts) and group commit (kv/group_commit.ts)
 * once the write committed; a write that never commits drops them with its atomic.
 */
import { noteWritten } from "./local_writes.ts";

const pending = new WeakMap<object, (() => void)[]>();

/** Runs `fn` once `op` (a real or a recorded atomic) has committed. */
export function afterCommit(op: Deno.AtomicOperation, fn: () => void): void {
  const list = pending.get(op);
  if (list) list.push(fn);
  else pending.set(op, [fn]);
}

/** `op` committed: runs what was registered on it, once. */
export function committed(op: object): void {
  const list = pending.get(op);
  if (!list) return;
  pending.delete(op);
  for (const fn of list) {
    // The write is stored whatever follows: a failing listener must not fail it.
    try {
      fn();
    } catch (e) {
      console.error("after-commit work failed", e);
    }
  }
}

type AppendListener = (appended: ReadonlyMap<string, import("./types.ts").StoredEvent[]>) => void;
const listeners = new WeakMap<Deno.Kv, AppendListener>();

/** Who hears this process's event appends on `kv` (the event bus); null: nobody. */
export function onAppended(kv: Deno.Kv, fn: AppendListener | null): void {
  if (fn) listeners.set(kv, fn);
  else listeners.delete(kv);
}

/**
 * Events `kv`'s writers of this process just committed, per log. Whatever wrote them also moved
 * those users' event counters: a read of theirs made before is stale now (kv/local_writes.ts).
 */
export function appended(
  kv: Deno.Kv,
  events: ReadonlyMap<string, import("./types.ts").StoredEvent[]>,
) {
  noteWritten(kv, events.keys());
  listeners.get(kv)?.(events);
}
