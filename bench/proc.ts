/** What the bench reads about processes from /proc (Linux): CPU time, RSS, the load average. */

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU time of a process in ms; 0 once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in KB; 0 once it is gone. */
export function rssKb(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Sums over several processes (nginx's master and worker, redis). */
export const totalCpuMs = (pids: number[]) => pids.reduce((s, p) => s + cpuMs(p), 0);
export const totalRssKb = (pids: number[]) => pids.reduce((s, p) => s + rssKb(p), 0);

/** The 1-minute load average, noted with every measurement (the machine may be shared). */
export function loadAverage(): number {
  return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
}

/** The direct children of a process (nginx's worker under its master). */
export function childrenOf(pid: number): number[] {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim();
    return text ? text.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** Resolves once `port` on 127.0.0.1 accepts connections, or throws after `ms`. */
export async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** A free loopback TCP port (bound once, then released for the child to take). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
