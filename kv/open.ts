/**
 * Opens Parley's KV. Two isolates on one local SQLite file (workers of one process, `deno serve
 * --parallel`) are two SQLite writers, and a write that finds the file locked by the other fails
 * with "database is locked" at once (there is no busy timeout). Such a call did nothing, so it is
 * retried here with a short jittered backoff; if the file stays locked for seconds, the request
 * fails clearly with 503 `storage_busy` and Retry-After, never with an unexplained 500.
 */
import { ApiError } from "../services/core/errors.ts";
import { startWalCheckpointer, type WalCheckpointer } from "./wal_checkpoint.ts";

const ATTEMPTS = 60;

function isLocked(e: unknown): boolean {
  return e instanceof Error && /database is locked|SQLITE_BUSY/i.test(e.message);
}

async function retrying<T>(call: () => Promise<T>): Promise<T> {
  for (let i = 0;; i++) {
    try {
      return await call();
    } catch (e) {
      if (!isLocked(e)) throw e;
      if (i + 1 >= ATTEMPTS) {
        throw new ApiError(503, "storage_busy", "storage is busy; try again", undefined, {
          "Retry-After": "1",
        });
      }
      await new Promise((r) => setTimeout(r, 1 + Math.random() * Math.min(50, 2 ** i)));
    }
  }
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/** Makes `kv`'s reads and writes retry while the file is locked by another writer. */
export function retryWhenLocked(kv: Deno.Kv): Deno.Kv {
  const k = kv as unknown as Record<string, AnyFn>;
  for (const name of ["get", "getMany", "set", "delete", "enqueue"]) {
    const orig = k[name].bind(kv);
    k[name] = (...args) => retrying(() => orig(...args));
  }
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    const commit = op.commit.bind(op);
    op.commit = () => retrying(commit);
    return op;
  };
  const list = kv.list.bind(kv);
  kv.list = ((selector: Deno.KvListSelector, options?: Deno.KvListOptions) => {
    const iter = list(selector, options);
    const next = iter.next.bind(iter);
    iter.next = () => retrying(next);
    return iter;
  }) as Deno.Kv["list"];
  return kv;
}

/** Checks per atomic by where the KV is: a local SQLite file allows 100, KV Connect only 10. */
const budgets = new WeakMap<Deno.Kv, number>();

/** Records how many checks one atomic may carry on `kv` (openKv does it for what it opens). */
export function setCheckBudget(kv: Deno.Kv, checks: number): void {
  budgets.set(kv, checks);
}

/** Checks one atomic may carry on `kv`; 10 (the strictest, KV Connect's) when not known. */
export function checkBudget(kv: Deno.Kv): number {
  return budgets.get(kv) ?? 10;
}

function isLocal(path: string | undefined): boolean {
  if (path === undefined) {
    // No path: Deno Deploy's KV there (remote, KV Connect's limits), else Deno's default file.
    return !Deno.env.get("DENO_DEPLOYMENT_ID");
  }
  return !/^https?:\/\//i.test(path);
}

/**
 * Sends `kv`'s reads (get, getMany, list) to `reader`, a second handle on the same SQLite file,
 * and closes both together. Each handle is one SQLite connection on a thread of its own, and a
 * WAL reader never waits for the writer: a send's reads run while the previous batch commits
 * (kv/group_commit.ts) instead of queueing behind it on the one thread. A read started after a
 * commit returned sees it (a new read transaction sees every finished commit), so read-your-writes
 * holds. Watches and writes stay on `kv`.
 */
export function readThrough(kv: Deno.Kv, reader: Deno.Kv): Deno.Kv {
  kv.get = reader.get.bind(reader);
  kv.getMany = reader.getMany.bind(reader);
  kv.list = reader.list.bind(reader);
  const close = kv.close.bind(kv);
  kv.close = () => {
    reader.close();
    close();
  };
  return kv;
}

/** A path two handles can share: a local file (`:memory:` would be a second, empty store). */
function isSharedFile(path: string | undefined): path is string {
  return path !== undefined && path !== ":memory:" && isLocal(path);
}

/** The WAL checkpointer of each local file openKv opened (kv/wal_checkpoint.ts). */
const checkpointers = new WeakMap<Deno.Kv, WalCheckpointer>();

/** The WAL checkpointer working for `kv`, if any (tests and the bench read its stats). */
export function walCheckpointer(kv: Deno.Kv): WalCheckpointer | undefined {
  return checkpointers.get(kv);
}

/**
 * Closes `kv` once its WAL checkpointer has finished and closed its connection, so nothing
 * touches the file after this resolves (a backup or another process may take it at once).
 */
export async function closeKv(kv: Deno.Kv): Promise<void> {
  const cp = checkpointers.get(kv);
  checkpointers.delete(kv);
  await cp?.stop();
  kv.close();
}

/** Opens the configured KV (a file, `:memory:`, a KV Connect URL, or Deno's default). */
export async function openKv(path: string | undefined): Promise<Deno.Kv> {
  const kv = retryWhenLocked(await Deno.openKv(path));
  if (isSharedFile(path)) {
    readThrough(kv, retryWhenLocked(await Deno.openKv(path)));
    if (Deno.env.get("PARLEY_WAL_CHECKPOINT") !== "0") {
      const cp = startWalCheckpointer(path);
      checkpointers.set(kv, cp);
      const close = kv.close.bind(kv);
      // A plain close() cannot wait for the worker: closeKv() does.
      kv.close = () => {
        if (checkpointers.delete(kv)) cp.stop();
        close();
      };
    }
  }
  setCheckBudget(kv, isLocal(path) ? 100 : 10);
  return kv;
}
