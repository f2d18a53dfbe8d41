/**
 * Counts Deno KV calls of this process by wrapping the KV classes' methods: reads (get, getMany,
 * list), commits (atomic commits and direct set/delete) and the mutations and checks inside them.
 * Only the bench's Parley process loads it (bench/parley_server.ts).
 */
export const kvCounts = { reads: 0, commits: 0, mutations: 0, checks: 0, watches: 0 };

/**
 * KV calls that took 20 ms or more while a phase was measured (newest 50,000): when each began,
 * what it was, how long. Only then: 5,000 sign-ins and stream opens made some 48,000 of them, which
 * stayed in the heap (about 4 MB, 8 % of it) and made every major GC of the phases mark them.
 */
export const slowKv: { at: number; op: string; ms: number }[] = [];
let recording = false;

/** Records slow KV calls from now on (a phase began) or not (it ended). */
export function recordSlowKv(on: boolean) {
  recording = on;
}

function record(op: string, ms: number) {
  if (ms < 20 || !recording) return;
  slowKv.push({ at: Date.now() - ms, op, ms: Math.round(ms) });
  if (slowKv.length > 50_000) slowKv.shift();
}

/** A list's iterator whose every page fetch (a next() that waits) is timed, named by prefix. */
function timedList(args: unknown[], iter: AsyncIterableIterator<unknown>) {
  const sel = args[0] as { prefix?: Deno.KvKey; start?: Deno.KvKey };
  const name = `list:${String((sel.prefix ?? sel.start ?? [])[0])}`;
  const next = iter.next.bind(iter);
  iter.next = () => {
    const t = performance.now();
    return next().finally(() => record(name, performance.now() - t));
  };
  return iter;
}

function timed(name: string, started: number, result: unknown, args: unknown[]): unknown {
  if (name === "list") return timedList(args, result as AsyncIterableIterator<unknown>);
  if (!(result instanceof Promise)) return result;
  return result.finally(() => record(name, performance.now() - started));
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

function wrap(proto: object, name: string, count: () => void) {
  const p = proto as Record<string, Method>;
  const orig = p[name];
  if (typeof orig !== "function") return;
  p[name] = function (this: unknown, ...args: unknown[]) {
    count();
    return timed(name, performance.now(), orig.apply(this, args), args);
  };
}

/** Installs the counters; call before Parley opens KV. */
export function countKv() {
  const kv = Deno.Kv.prototype;
  for (const m of ["get", "getMany", "list"]) wrap(kv, m, () => kvCounts.reads++);
  for (const m of ["set", "delete"]) {
    wrap(kv, m, () => {
      kvCounts.commits++;
      kvCounts.mutations++;
    });
  }
  wrap(kv, "watch", () => kvCounts.watches++);
  const op = Deno.AtomicOperation.prototype;
  wrap(op, "commit", () => kvCounts.commits++);
  for (const m of ["set", "delete", "sum", "min", "max", "enqueue"]) {
    wrap(op, m, () => kvCounts.mutations++);
  }
  // check(...entries) counts each entry.
  const p = op as unknown as Record<string, Method>;
  const check = p.check;
  p.check = function (this: unknown, ...args: unknown[]) {
    kvCounts.checks += args.length;
    return check.apply(this, args);
  };
}
