import { committed } from "./after_commit.ts";

/**
 * Runs `attempt` until its atomic commits. Each attempt re-reads what it checks, so concurrent
 * writers (two sends into one dialog, two events for one user) serialise instead of losing data.
 * `attempt` returns null to stop without writing (e.g. nothing to do).
 */
export async function commitWithRetry<T>(
  attempt: () => Promise<{ op: Deno.AtomicOperation; result: T } | null>,
  maxAttempts = 40,
): Promise<T | null> {
  for (let i = 0; i < maxAttempts; i++) {
    const built = await attempt();
    if (!built) return null;
    const res = await built.op.commit();
    if (res.ok) {
      committed(built.op);
      return built.result;
    }
    // Contention: back off a little, with jitter, before re-reading.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** i)));
  }
  throw new Error("atomic commit kept conflicting; gave up");
}

/**
 * `read` whose second call hands back what the first read instead of reading again; later calls
 * read. A write reads what it checks once to refuse early (a ban, a full rate window) and again
 * in its atomic's first attempt: the atomic checks the versionstamps, so a change in between
 * fails the commit and the next attempt reads afresh.
 */
export function reusedOnce<A extends unknown[], T>(
  read: (...args: A) => Promise<T>,
): (...args: A) => Promise<T> {
  let calls = 0;
  let first: Promise<T> | undefined;
  return (...args) => {
    calls++;
    if (calls === 2 && first) return first;
    const p = read(...args);
    if (calls === 1) first = p;
    return p;
  };
}
