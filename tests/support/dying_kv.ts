type Commit = () => Promise<Deno.KvCommitResult | Deno.KvCommitError>;

/**
 * The same KV, except that each atomic's commit goes through `wrap(commit, n)`, `n` counting the
 * commits from 1: a test can fail, delay or follow a commit at the moment it happens.
 */
export function wrapCommits(
  kv: Deno.Kv,
  wrap: (commit: Commit, n: number) => ReturnType<Commit>,
): Deno.Kv {
  let commits = 0;
  return new Proxy(kv, {
    get(target, prop) {
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => wrap(commit, ++commits);
          return op;
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/**
 * A KV whose atomics fail from the `after`-th commit on, like a process killed at that moment:
 * what was committed before stays, nothing after lands. For interrupted-import tests.
 */
export function dyingKv(kv: Deno.Kv, after: number): Deno.Kv {
  return wrapCommits(
    kv,
    (commit, n) => n >= after ? Promise.reject(new Error("killed")) : commit(),
  );
}
