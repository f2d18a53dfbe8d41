/**
 * Checkpoints a local KV file's WAL off the KV's writer thread. SQLite in WAL mode appends each
 * commit to the -wal file and, once it passes 1,000 pages, the committing connection copies them
 * back into the database and fsyncs it inside that commit: on a local KV file that is every few
 * group commits, and a quarter of the writer's time under load. A second connection (node:sqlite,
 * the same SQLite library the KV uses, in a worker) checkpoints PASSIVE about every 250 new frames
 * (kv/wal_checkpoint_worker.ts). It never blocks the writer or a reader; the writer restarts the
 * WAL from its start once all of it is copied back and no reader holds it, so its own checkpoint
 * comes due less often and finds less to copy. Under saturation it still runs (strace: every ~9
 * commits), as reads on the second handle keep the WAL from restarting; at 200 msg/s the tail
 * shortened (README, Performance). If the worker stops, SQLite's own checkpoint is still there:
 * this only moves work.
 */

export interface WalCheckpointer {
  /** Resolves once the worker closed its connection. */
  stop(): Promise<void>;
  /** Rounds run and the last WAL size seen (tests and the bench). */
  readonly stats: { rounds: number; log: number; checkpointed: number };
}

/** How the checkpointer paces its rounds. */
export interface Pace {
  /** Frames one round aims to copy. */
  frames: number;
  /** The shortest and the longest pause between rounds. */
  minMs: number;
  idleMs: number;
}

/** How long to wait before the next round, given the frames that arrived since the last one. */
export function nextWait(fresh: number, sinceMs: number, o: Pace, wait: number): number {
  if (fresh <= 0) return Math.min(o.idleMs, wait * 2);
  const perMs = fresh / Math.max(sinceMs, 1);
  return Math.min(o.idleMs, Math.max(o.minMs, o.frames / perMs));
}

export function startWalCheckpointer(
  path: string,
  opts: Partial<Pace> = {},
): WalCheckpointer {
  const worker = new Worker(new URL("./wal_checkpoint_worker.ts", import.meta.url), {
    type: "module",
  });
  const stats = { rounds: 0, log: 0, checkpointed: 0 };
  let closed: () => void;
  const done = new Promise<void>((r) => closed = r);
  worker.onmessage = (e: MessageEvent<{ log: number; checkpointed: number } | "closed">) => {
    if (e.data === "closed") return closed();
    stats.rounds++;
    stats.log = e.data.log;
    stats.checkpointed = e.data.checkpointed;
  };
  worker.onerror = (e) => {
    // A checkpointer that cannot run leaves SQLite's own checkpoints in charge: nothing is lost.
    e.preventDefault();
    console.error("WAL checkpointer stopped:", e.message);
    closed();
  };
  worker.postMessage({
    path,
    frames: opts.frames ?? Number(Deno.env.get("PARLEY_WAL_CHECKPOINT_FRAMES") ?? 250),
    minMs: opts.minMs ?? 2,
    idleMs: opts.idleMs ?? 1000,
  });
  return {
    stats,
    async stop() {
      worker.postMessage("stop");
      // A worker stuck in a long checkpoint is not waited for past 2 s.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([done, new Promise((r) => timer = setTimeout(r, 2000))]);
      clearTimeout(timer);
      worker.terminate();
    },
  };
}
