/**
 * A KV whose atomics fail from the `after`-th commit on, like a process killed at that moment:
 * what was committed before stays, nothing after lands. For interrupted-import tests.
 */
export function dyingKv(kv: Deno.Kv, after: number): Deno.Kv {
  let commits = 0;
  return new Proxy(kv, {
    get(target, prop) {
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => ++commits >= after ? Promise.reject(new Error("killed")) : commit();
          return op;
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
