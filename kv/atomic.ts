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
    if (res.ok) return built.result;
    // Contention: back off a little, with jitter, before re-reading.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** i)));
  }
  throw new Error("atomic commit kept conflicting; gave up");
}
