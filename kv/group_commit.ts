/**
 * Group commit: several independent writes (sends, presence changes, published events) in one
 * `kv.atomic()`. On a local KV file the
 * SQLite writer is serial and every commit is one fsync, so the cost is per commit far more than
 * per mutation: a batch of sends costs about what one send does.
 *
 * Writes queue with the owners they touch (a user: their event log, dialog sides, counters). One
 * drain per KV handle picks queued writes, in order, that share no owner, builds them all (each
 * reads and records its checks and mutations into a RecordedOp), and commits them together within
 * the KV's check budget (100 locally, 10 through KV Connect: kv/open.ts), 1,000 mutations and the
 * payload limit. While a batch commits, the next one is picked and built: from writes that share no
 * owner with it or with each other, so within the process nothing they read is about to change (on
 * a local file their reads run on a second SQLite connection, kv/open.ts, in parallel with the
 * commit). Two batches may be with the KV at once (PIPELINE), so its writer thread goes from one
 * commit to the next without waiting for this thread; they commit in the order they were picked.
 * A lone write waits for no one. A batch whose checks fail (another isolate or another code path
 * wrote a checked key) is committed again one write at a time, so one conflicting write never
 * fails the others: those whose checks still hold commit as built, the rest queue again and are
 * read again. Where one write alone takes more than half the check budget (KV Connect), writes
 * commit one by one as `commitWithRetry` does.
 */
import { afterCommit, committed } from "./after_commit.ts";
import { commitWithRetry } from "./atomic.ts";
import { checkBudget } from "./open.ts";
import { noteWritten } from "./local_writes.ts";
import { RecordedOp } from "./recorded_op.ts";

/** Builds one write into `op` and returns what the caller gets once it commits; null: no write. */
export type GroupAttempt<T> = (op: Deno.AtomicOperation) => Promise<T | null>;

/** KV's payload limit is 800 KiB; RecordedOp's estimate is an upper bound, with some margin. */
const MAX_BYTES = 640 * 1024;
const MAX_MUTATIONS = 1000;
/** Conflicts of one write before it gives up (as commitWithRetry). */
const MAX_ATTEMPTS = 40;
/**
 * Batches handed to the KV at once. Two keep a local file's writer busy (measured: 905–970
 * msg/s saturated with one, 1,010–1,025 with two); more only queue in the KV.
 */
const PIPELINE = 2;

interface Item<T> {
  owners: string[];
  /** Background work (presence, tickets, the admin log, host lists): a send goes first. */
  background: boolean;
  attempt: GroupAttempt<T>;
  tries: number;
  resolve(v: T | null): void;
  reject(e: unknown): void;
}

interface Built {
  item: Item<unknown>;
  rec: RecordedOp;
  result: unknown;
}

/** What the committer did (tests and the bench read it). */
export interface GroupCommitStats {
  /** Atomics that carried two writes or more, and the writes they carried. */
  batches: number;
  grouped: number;
  /** Batches whose checks failed and were committed again one write at a time. */
  failed: number;
  /** Writes committed in an atomic of their own. */
  alone: number;
}

/** The atomics that carry several writes (tests hold each write, not the batch, to 10 checks). */
const groupAtomics = new WeakSet<Deno.AtomicOperation>();

/** Whether `op` is a group commit's batch of several writes. */
export function isGroupAtomic(op: Deno.AtomicOperation): boolean {
  return groupAtomics.has(op);
}

const pause = (i: number) => Math.random() * Math.min(50, 2 ** i);

class GroupCommitter {
  readonly stats: GroupCommitStats = { batches: 0, grouped: 0, failed: 0, alone: 0 };
  #queue: Item<unknown>[] = [];
  #running = false;
  /** The most checks one write recorded lately: how many writes one batch can take. */
  #checksPerWrite = 8;

  constructor(readonly kv: Deno.Kv, readonly budget: number) {}

  submit<T>(owners: string[], attempt: GroupAttempt<T>, background: boolean): Promise<T | null> {
    return new Promise<T | null>((resolve, reject) => {
      this.#enqueue({ owners, background, attempt, tries: 0, resolve, reject } as Item<unknown>);
    });
  }

  #enqueue(item: Item<unknown>) {
    this.#queue.push(item);
    if (!this.#running) this.#drain();
  }

  async #drain() {
    this.#running = true;
    try {
      // Writes queued in this same turn join the first batch.
      await Promise.resolve();
      // Batches being committed, with their owners: the next batch is picked and read meanwhile
      // from writes that share none of them, so nothing it reads is about to change under it.
      const inflight = new Map<Promise<void>, string[]>();
      const oldest = () => inflight.keys().next().value;
      while (this.#queue.length || inflight.size) {
        // Pipelined only while a full batch is waiting (saturation): otherwise the writes that
        // arrive during the commit gather into one batch after it, instead of each going alone.
        // Nothing is picked either when every queued write waits for the committing owners.
        const pipelined = !inflight.size || this.#queue.length >= this.#want();
        const picked = pipelined ? this.#pick(new Set([...inflight.values()].flat())) : [];
        if (!picked.length) {
          await oldest();
          continue;
        }
        const built = await this.#buildAll(picked);
        // Up to PIPELINE batches are handed to the KV at once. It commits them one after another
        // in the order they were picked, and its writer thread goes on to the next without
        // waiting for this thread to take the last result. They share no owner, so nothing one
        // of them reads or checks is written by another.
        while (inflight.size >= PIPELINE) await oldest();
        const done: Promise<void> = (async () => {
          for (const chunk of this.#chunks(built)) await this.#commit(chunk);
        })().catch((e) => console.error("group commit failed", e))
          .finally(() => inflight.delete(done));
        inflight.set(done, picked.flatMap((i) => i.owners));
      }
    } finally {
      this.#running = false;
    }
  }

  /** How many writes one batch takes, by the most checks one write recorded lately. */
  #want(): number {
    return Math.max(1, Math.floor(this.budget / this.#checksPerWrite));
  }

  /**
   * Queued writes that share no owner, as many as one batch's checks allow: sends first, in
   * order, then background writes in order, which keep a quarter of the batch (so a burst of
   * stream reconnects does not queue the sends behind it, and a stream of sends never starves
   * them). Writes of one owner and one kind commit in the order they came.
   */
  #pick(busy: ReadonlySet<string> = new Set()): Item<unknown>[] {
    const want = this.#want();
    const waiting = this.#queue.filter((i) => i.background).length;
    const reserve = waiting ? Math.min(waiting, Math.max(1, Math.floor(want / 4))) : 0;
    const picked = new Set<Item<unknown>>();
    // Owners of the batch still committing count as taken: their writes wait for the next pick.
    const taken = new Set<string>(busy);
    const take = (background: boolean, limit: number) => {
      for (const item of this.#queue) {
        if (picked.size >= limit) return;
        if (item.background !== background || picked.has(item)) continue;
        const blocked = item.owners.some((o) => taken.has(o));
        // A write left waiting holds its owners too: no later write of theirs overtakes it.
        for (const o of item.owners) taken.add(o);
        if (!blocked) picked.add(item);
      }
    };
    take(false, want - reserve);
    take(true, want);
    take(false, want);
    this.#queue = this.#queue.filter((i) => !picked.has(i));
    return [...picked];
  }

  async #buildAll(items: Item<unknown>[]): Promise<Built[]> {
    const built = await Promise.all(items.map(async (item): Promise<Built | undefined> => {
      try {
        const rec = new RecordedOp();
        const result = await item.attempt(rec.asAtomic());
        if (result !== null) return { item, rec, result };
        item.resolve(null);
      } catch (e) {
        item.reject(e);
      }
    }));
    const out = built.filter((b): b is Built => b !== undefined);
    if (out.length) this.#checksPerWrite = Math.max(1, ...out.map((b) => b.rec.checks));
    return out;
  }

  /** Consecutive runs of built writes that fit in one atomic. */
  *#chunks(built: Built[]): Generator<Built[]> {
    let chunk: Built[] = [];
    let checks = 0, mutations = 0, bytes = 0;
    for (const b of built) {
      const fits = checks + b.rec.checks <= this.budget &&
        mutations + b.rec.mutations <= MAX_MUTATIONS && bytes + b.rec.bytes <= MAX_BYTES;
      if (!fits && chunk.length) {
        yield chunk;
        chunk = [];
        checks = mutations = bytes = 0;
      }
      chunk.push(b);
      checks += b.rec.checks;
      mutations += b.rec.mutations;
      bytes += b.rec.bytes;
    }
    if (chunk.length) yield chunk;
  }

  async #commit(chunk: Built[]) {
    if (chunk.length > 1) {
      const res = await (async () => {
        const op = this.kv.atomic();
        groupAtomics.add(op);
        for (const b of chunk) b.rec.replay(op);
        return await op.commit();
      })().catch(() => null);
      if (res?.ok) {
        this.stats.batches++;
        this.stats.grouped += chunk.length;
        for (const b of chunk) this.#landed(b);
        return;
      }
      this.stats.failed++;
    }
    // One at a time: a write whose checks still hold commits as built, the others read again.
    for (const b of chunk) {
      try {
        const res = await b.rec.replay(this.kv.atomic()).commit();
        if (res.ok) {
          this.stats.alone++;
          this.#landed(b);
        } else this.#conflicted(b.item);
      } catch (e) {
        b.item.reject(e);
      }
    }
  }

  /**
   * A write is in KV: reads made before it of its owners are stale now (kv/local_writes.ts), its
   * after-commit work runs (kv/after_commit.ts), and its caller gets its result.
   */
  #landed(b: Built) {
    noteWritten(this.kv, b.item.owners);
    committed(b.rec);
    b.item.resolve(b.result);
  }

  /** A write whose checks failed queues again after a short pause, to be read again. */
  #conflicted(item: Item<unknown>) {
    if (++item.tries >= MAX_ATTEMPTS) {
      return item.reject(new Error("atomic commit kept conflicting; gave up"));
    }
    setTimeout(() => this.#enqueue(item), pause(item.tries));
  }
}

const committers = new WeakMap<Deno.Kv, GroupCommitter>();

/**
 * Commits the write `attempt` builds, possibly in one atomic with other writes of this process
 * that share none of its `owners`; re-reads and retries on conflicts like commitWithRetry. Two
 * writes that may touch one key must name a common owner. Where the KV's check budget leaves no
 * room for two writes in one atomic (KV Connect's 10), it is commitWithRetry.
 */
export function commitGrouped<T>(
  kv: Deno.Kv,
  owners: string[],
  attempt: GroupAttempt<T>,
  opts: { background?: boolean } = {},
): Promise<T | null> {
  const budget = checkBudget(kv);
  if (budget < 20) {
    return commitWithRetry(async () => {
      const op = kv.atomic();
      const result = await attempt(op);
      if (result !== null) afterCommit(op, () => noteWritten(kv, owners));
      return result === null ? null : { op, result };
    });
  }
  let c = committers.get(kv);
  if (!c) committers.set(kv, c = new GroupCommitter(kv, budget));
  return c.submit(owners, attempt, opts.background === true);
}

/** What group commit did on `kv` so far (zeros where it never ran). */
export function groupCommitStats(kv: Deno.Kv): GroupCommitStats {
  return { ...(committers.get(kv)?.stats ?? { batches: 0, grouped: 0, failed: 0, alone: 0 }) };
}
