/**
 * Moves a store written before the own-prefix layout (keys.OWN in kv/keys.ts) into it. Until
 * layout 2, a user's dialog sides, activity index, unread counters, event log and its counter,
 * admin index and a dialog's messages were each a family of its own (["dlg", uid, peer],
 * ["ev", uid, n], ["msg", lo, hi, id], ...); they now sort under ["u", uid, family, ...]. startParley and the import command call migrateLayout
 * before anything reads or writes, so the code never sees both shapes.
 *
 * One process moves at a time, under a lease that every page's atomic checks and renews: a
 * mover that stalls past its lease (or dies) is replaced, and its later atomics fail their check
 * instead of writing over what the new one moved. The others wait for the layout mark. Each
 * entry's move (set the new key, delete the old) is in one atomic, so an interrupted move
 * resumes where it stopped and never leaves an entry under both shapes.
 */
import { ulid } from "../services/core/ids.ts";
import { log } from "../services/core/log.ts";
import { keys, OWN } from "./keys.ts";
import { EVENT_TTL_MS } from "./messaging/events.ts";

/** The layout this code reads and writes. */
export const LAYOUT = 2;

/** The families that moved under a user's own prefix, by their old first key part. */
export const MOVED = ["dlg", "dlg_time", "dlg_unread", "ev_seq", "ev", "adm_user", "msg"] as const;
// Rate counters moved too (keys.rateCounter) but are not carried over: they expire with their
// window, so an upgrade forgets at most one window's count.

/** Entries per atomic: two mutations each and the lease's, within KV's 1,000. */
const PAGE = 400;
/** Bytes of keys and values per atomic, within KV's 800 KiB (values are at most 64 KiB). */
const PAGE_BYTES = 600 * 1024;

export interface LayoutMark {
  version: number;
  at: string;
}

interface Lease {
  holder: string;
  until: number;
}

export interface MigrateOptions {
  /** How long a mover's lease lasts without a renewal (each page renews it). */
  leaseMs?: number;
  /** How often a waiting process looks at the mark. */
  pollMs?: number;
  /** Entries per atomic (tests use small pages to cross page boundaries). */
  page?: number;
}

/**
 * Where an entry of the old shape [family, uid, ...rest] lives now (a message, ["msg", lo, hi,
 * id], goes under its dialog's lower member).
 */
export function movedKey(old: Deno.KvKey): Deno.KvKey {
  return [OWN, old[1], old[0], ...old.slice(2)];
}

/** A generous size of a key and value as KV stores them (JSON is larger than V8's encoding). */
function sizeOf(e: Deno.KvEntry<unknown>): number {
  const text = JSON.stringify(
    [e.key, e.value],
    (_k, v) => typeof v === "bigint" ? String(v) : v instanceof Uint8Array ? v.length : v,
  );
  return 2 * (text?.length ?? 0) + 64;
}

/** `entries` in runs that fit one atomic: at most PAGE_BYTES each (one entry always fits). */
function bySize(entries: Deno.KvEntry<unknown>[]): Deno.KvEntry<unknown>[][] {
  const runs: Deno.KvEntry<unknown>[][] = [];
  let bytes = Infinity;
  for (const e of entries) {
    const size = sizeOf(e);
    if (bytes + size > PAGE_BYTES) {
      runs.push([]);
      bytes = 0;
    }
    runs.at(-1)!.push(e);
    bytes += size;
  }
  return runs;
}

/** Thrown when this process lost its lease mid-move: another mover took over. */
class LeaseLost extends Error {}

/**
 * Brings `kv` to LAYOUT: returns at once when it is there, moves the old families when this
 * process gets the lease, and otherwise waits until the process that has it is done. Returns
 * how many entries this call moved.
 */
export async function migrateLayout(kv: Deno.Kv, opts: MigrateOptions = {}): Promise<number> {
  const leaseMs = opts.leaseMs ?? 30_000;
  const pollMs = opts.pollMs ?? 200;
  const me = ulid();
  // Pages this call committed, also under a lease it lost later.
  const moved = { n: 0 };
  for (;;) {
    const [mark, lease] = await kv.getMany<[LayoutMark, Lease]>([
      keys.layout(),
      keys.layoutLease(),
    ]);
    if ((mark.value?.version ?? 0) >= LAYOUT) return moved.n;
    if (lease.value && lease.value.until > Date.now()) {
      await new Promise((r) => setTimeout(r, pollMs));
      continue;
    }
    const taken = await kv.atomic().check(lease)
      .set(keys.layoutLease(), { holder: me, until: Date.now() + leaseMs }).commit();
    if (!taken.ok) continue;
    try {
      await moveAll(kv, me, taken.versionstamp, leaseMs, opts.page ?? PAGE, moved);
      return moved.n;
    } catch (e) {
      if (!(e instanceof LeaseLost)) throw e;
      log.warn("layout move: lease lost to another process; waiting for it");
    }
  }
}

async function moveAll(
  kv: Deno.Kv,
  me: string,
  stamp: string,
  leaseMs: number,
  page: number,
  moved: { n: number },
): Promise<void> {
  const before = moved.n;
  const commit = async (op: Deno.AtomicOperation) => {
    op.check({ key: keys.layoutLease(), versionstamp: stamp });
    const res = await op.commit();
    if (!res.ok) throw new LeaseLost();
    stamp = res.versionstamp;
  };
  for (const family of MOVED) {
    for (;;) {
      const entries: Deno.KvEntry<unknown>[] = [];
      for await (const e of kv.list({ prefix: [family] }, { limit: page })) entries.push(e);
      if (entries.length === 0) break;
      for (const run of bySize(entries)) {
        const op = kv.atomic();
        // Event-log entries do not say when they were written: they get the whole replay
        // window again (expireIn is a lower bound anyway), so a reconnect across the upgrade
        // still replays by Last-Event-ID.
        const expiry = family === "ev" ? { expireIn: EVENT_TTL_MS } : {};
        for (const e of run) op.set(movedKey(e.key), e.value, expiry).delete(e.key);
        await commit(renew(op, me, leaseMs));
        moved.n += run.length;
      }
    }
  }
  const done = kv.atomic().set(keys.layout(), { version: LAYOUT, at: new Date().toISOString() })
    .delete(keys.layoutLease());
  await commit(done);
  if (moved.n > before) log.info("layout move: done", { moved: moved.n - before, layout: LAYOUT });
}

function renew(op: Deno.AtomicOperation, me: string, leaseMs: number): Deno.AtomicOperation {
  return op.set(keys.layoutLease(), { holder: me, until: Date.now() + leaseMs });
}
