/**
 * Counts Deno KV calls of this process by wrapping the KV classes' methods: reads (get, getMany,
 * list), commits (atomic commits and direct set/delete) and the mutations and checks inside them.
 * Only the bench's Parley process loads it (bench/parley_server.ts).
 */
export const kvCounts = { reads: 0, commits: 0, mutations: 0, checks: 0, watches: 0 };

type Method = (this: unknown, ...args: unknown[]) => unknown;

function wrap(proto: object, name: string, count: () => void) {
  const p = proto as Record<string, Method>;
  const orig = p[name];
  if (typeof orig !== "function") return;
  p[name] = function (this: unknown, ...args: unknown[]) {
    count();
    return orig.apply(this, args);
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
