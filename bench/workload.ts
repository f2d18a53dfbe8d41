/**
 * The workload, the same for every target: N users each hold one SSE stream (their own channel);
 * messages go between random pairs and reach both users' streams; some streams drop and resume
 * with Last-Event-ID mid-run. Phases: idle, fixed rates (open loop), saturation (closed loop).
 */
import { cpuMs, loadAverage, totalCpuMs, totalRssKb } from "./proc.ts";
import { type Delivery, UserStream } from "./sse_client.ts";
import { type GcEvent, gcThreadMs } from "./gc_trace.ts";
import type { ServerDiagnostics, Target } from "./target.ts";

export interface WorkloadOptions {
  users: number;
  /** Seconds of the idle phase (streams open, nothing sent); 0 skips it. */
  idleS: number;
  /** Fixed send rates (msg/s), one phase each, `durationS` long. */
  rates: number[];
  durationS: number;
  /** Messages of the saturation phase (0 skips it), sent by `concurrency` closed-loop senders. */
  saturate: number;
  concurrency: number;
  /** Message text length in characters. */
  size: number;
  /** Percent of sends that carry an image. */
  images: number;
  /** Percent of users whose stream drops and resumes by Last-Event-ID during the first phase. */
  reconnect: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PhaseResult {
  phase: string;
  /** When the phase began (Date.now()): to line its timeline up with server-side records. */
  startedAt: number;
  load: number;
  sent: number;
  failed: number;
  seconds: number;
  msgPerS: number;
  sendMs: Percentiles;
  deliveryMs: Percentiles;
  serverCpuMsPerMsg: number;
  clientCpuMsPerMsg: number;
  storageOpsPerSend: number | null;
  reconnected: number;
  /** Delivery by the second of the phase its message was sent in: where the slow ones were. */
  timeline: TimelineSecond[];
}

export interface TimelineSecond {
  /** Seconds since the phase began (the send's start, floored). */
  s: number;
  deliveries: number;
  p50: number;
  p99: number;
  max: number;
  /** This client's own event-loop stalls of 10 ms or more in that second (its lateness). */
  clientStallsMs: number[];
  /** The server's event-loop stalls of 10 ms or more in that second (Parley only, else null). */
  serverStallsMs: number[] | null;
  /** KV calls of the server that began in that second and took 20 ms or more, and the slowest. */
  slowKvCalls: number | null;
  slowestKvMs: number | null;
  /**
   * The server's JS thread in GC in that second (Parley: V8's --trace-gc), ms: scavenge pauses,
   * and major GCs' pauses with their incremental marking steps (a major GC counts in the second
   * it ended; its marking began up to a few hundred ms before).
   */
  scavengeMs: number | null;
  majorGcMs: number | null;
}

export interface IdleResult {
  seconds: number;
  load: number;
  serverCpuPctOfCore: number;
  /**
   * The same over the phase's last SETTLED_S seconds (null in a phase under 3 × that): idle
   * streams alone, after V8's memory reducer has collected what the burst of sign-ins and opens
   * left (its major GCs some 14 and 23 s into the phase, a one-off cost the whole phase includes).
   */
  settledCpuPctOfCore: number | null;
  clientCpuPctOfCore: number;
  storageOpsPerS: number | null;
}

export interface TargetResult {
  target: string;
  describe: string;
  users: number;
  connectS: number;
  rssBeforeMb: number;
  /** After every user signed in, before any stream opened (Parley's sessions, JIT, heap). */
  rssSignedInMb: number;
  rssConnectedMb: number;
  rssPerConnectionKb: number;
  /**
   * The same from the lowest RSS of the idle phase, sampled every second (null without one): what
   * an idle connection costs once the heap grown by the burst of sign-ins and opens is given back.
   */
  rssPerIdleConnectionKb: number | null;
  idle: IdleResult | null;
  phases: PhaseResult[];
  lost: number;
  duplicated: number;
}

const MAX_IN_FLIGHT = 1000;
/** Seconds at the idle phase's end measured on their own (IdleResult.settledCpuPctOfCore). */
export const SETTLED_S = 10;
const SETTLE_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s.length ? s[s.length - 1] : NaN };
}

/**
 * This client's event-loop stalls (performance.now() when each began, ms): a delivery measured
 * late because the client itself was busy is the client's lateness, not the server's.
 */
const clientStalls: { at: number; ms: number }[] = [];
function watchClientLoop(): () => void {
  const tick = 5;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - tick;
    if (late >= 10) clientStalls.push({ at: now - late, ms: Math.round(late) });
    last = now;
  }, tick);
  return () => clearInterval(timer);
}

/**
 * Deliveries grouped by the second of the phase their message was sent in, with what each side
 * recorded in that second: a slow second with client stalls is the client's lateness; one with
 * server stalls, slow KV calls or GC time is the server's.
 * `start` is the phase's start as performance.now(), `startedAt` the same moment as Date.now().
 */
function timeline(
  stats: PhaseStats,
  start: number,
  startedAt: number,
  server: ServerDiagnostics | null,
): TimelineSecond[] {
  const bySecond: number[][] = [];
  stats.sentMs.forEach((at, i) => {
    const s = Math.max(0, Math.floor((at - start) / 1000));
    (bySecond[s] ??= []).push(stats.deliveryMs[i]);
  });
  const within = <T extends { at: number }>(list: T[], from: number) =>
    list.filter((x) => x.at >= from && x.at < from + 1000);
  return [...bySecond.entries()].filter(([, d]) => d).map(([s, d]) => {
    const { p50, p99, max } = percentiles(d);
    const clientStallsMs = within(clientStalls, start + s * 1000).map((x) => x.ms);
    const kv = server && within(server.slowKv, startedAt + s * 1000);
    const gc = server && within(server.gc, startedAt + s * 1000);
    const gcMs = (kind: GcEvent["kind"]) =>
      gc && Math.round(sum(gc.filter((e) => e.kind === kind).map(gcThreadMs)));
    return {
      s,
      deliveries: d.length,
      p50,
      p99,
      max,
      clientStallsMs,
      serverStallsMs: server && within(server.stalls, startedAt + s * 1000).map((x) => x.ms),
      slowKvCalls: kv && kv.length,
      slowestKvMs: kv && Math.max(0, ...kv.map((x) => x.ms)),
      scavengeMs: gcMs("scavenge"),
      majorGcMs: gcMs("major"),
    };
  });
}

interface PhaseStats {
  sendMs: number[];
  deliveryMs: number[];
  /** When each delivery's message was sent (performance.now()), in deliveryMs's order. */
  sentMs: number[];
  expected: number;
  delivered: number;
  reconnected: number;
}

export async function runWorkload(
  target: Target,
  o: WorkloadOptions,
  image: Uint8Array<ArrayBuffer>,
  say: (s: string) => void,
): Promise<TargetResult> {
  await target.start();
  await sleep(1000);
  const pids = () => target.serverPids();
  const rssBefore = totalRssKb(pids());

  const sentAt = new Map<string, number>();
  const phaseOf = new Map<string, PhaseStats>();
  const received = new Map<string, number>();
  const expected = new Set<string>();
  const onMessage = (i: number) => (d: Delivery) => {
    const tag = d.text.slice(0, d.text.indexOf(" "));
    const key = `${i}:${tag}`;
    const n = (received.get(key) ?? 0) + 1;
    received.set(key, n);
    const phase = phaseOf.get(tag);
    if (phase && n === 1) phase.delivered++;
    if (phase && n === 1 && d.to === `u${i}`) {
      phase.deliveryMs.push(performance.now() - sentAt.get(tag)!);
      phase.sentMs.push(sentAt.get(tag)!);
    }
  };

  const t0 = performance.now();
  await target.prepareUsers(o.users);
  const rssSignedIn = totalRssKb(pids());
  const streams = Array.from(
    { length: o.users },
    (_, i) => new UserStream(target, i, onMessage(i)),
  );
  for (let i = 0; i < streams.length; i += 250) {
    await Promise.all(streams.slice(i, i + 250).map((s) => s.open()));
  }
  const connectS = (performance.now() - t0) / 1000;
  await sleep(1000);
  const rssConnected = totalRssKb(pids());
  say(`  ${o.users} streams open in ${connectS.toFixed(1)} s`);

  let idle: IdleResult | null = null;
  let rssIdle: number | null = null;
  if (o.idleS > 0) {
    const [c0, k0, ops0, t] = [
      totalCpuMs(pids()),
      cpuMs(Deno.pid),
      await target.storageOps(),
      performance.now(),
    ];
    // V8 hands back the heap the burst of sign-ins and opens grew some 20 s into the idle
    // phase (its memory reducer): the lowest RSS of the phase is what idle streams hold.
    const idleEnd = performance.now() + o.idleS * 1000;
    const settledFrom = o.idleS >= 3 * SETTLED_S ? idleEnd - SETTLED_S * 1000 : null;
    let settled: { cpu: number; at: number } | null = null;
    while (performance.now() < idleEnd) {
      const until = settled === null && settledFrom !== null ? settledFrom : idleEnd;
      await sleep(Math.min(1000, Math.max(0, until - performance.now())));
      if (settled === null && settledFrom !== null && performance.now() >= settledFrom) {
        settled = { cpu: totalCpuMs(pids()), at: performance.now() };
      }
      const now = totalRssKb(pids());
      rssIdle = rssIdle === null ? now : Math.min(rssIdle, now);
    }
    const s = (performance.now() - t) / 1000;
    const ops1 = await target.storageOps();
    const cpu1 = totalCpuMs(pids());
    idle = {
      seconds: s,
      load: loadAverage(),
      serverCpuPctOfCore: (cpu1 - c0) / (s * 10),
      settledCpuPctOfCore: settled === null
        ? null
        : (cpu1 - settled.cpu) / (performance.now() - settled.at) * 100,
      clientCpuPctOfCore: (cpuMs(Deno.pid) - k0) / (s * 10),
      storageOpsPerS: ops0 === null || ops1 === null ? null : (ops1 - ops0) / s,
    };
    const last = idle.settledCpuPctOfCore === null
      ? ""
      : `, ${idle.settledCpuPctOfCore.toFixed(1)} % in its last ${SETTLED_S} s`;
    say(
      `  idle ${s.toFixed(0)} s: server ${idle.serverCpuPctOfCore.toFixed(1)} % of a core${last}`,
    );
  }

  let counter = 0;
  let reconnectLeft = o.reconnect > 0;
  const pick = () => {
    const a = Math.floor(Math.random() * o.users);
    let b = Math.floor(Math.random() * (o.users - 1));
    if (b >= a) b++;
    return [a, b];
  };
  const sendOne = async (stats: PhaseStats) => {
    const tag = `m${counter++}`;
    const [a, b] = pick();
    const text = `${tag} ${"x".repeat(Math.max(1, o.size - tag.length - 1))}`;
    const withImage = o.images > 0 && Math.random() * 100 < o.images;
    phaseOf.set(tag, stats);
    const start = performance.now();
    sentAt.set(tag, start);
    let ok = false;
    try {
      ok = await target.send(a, b, text, withImage ? image : null);
    } catch {
      ok = false;
    }
    stats.sendMs.push(performance.now() - start);
    if (!ok) return false;
    expected.add(`${a}:${tag}`).add(`${b}:${tag}`);
    stats.expected += 2;
    return true;
  };
  // Mid-phase, some users' streams drop and resume from their last id.
  const reconnectSome = async () => {
    reconnectLeft = false;
    const n = Math.round((o.users * o.reconnect) / 100);
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(Math.floor(Math.random() * o.users));
    const list = [...chosen];
    for (let i = 0; i < list.length; i += 50) {
      await Promise.all(
        list.slice(i, i + 50).map(async (k) => {
          streams[k].close();
          await sleep(50);
          await streams[k].open();
        }),
      );
    }
    return n;
  };

  const phases: PhaseResult[] = [];
  const measure = async (name: string, run: (stats: PhaseStats) => Promise<number>) => {
    const stats: PhaseStats = {
      sendMs: [],
      deliveryMs: [],
      sentMs: [],
      expected: 0,
      delivered: 0,
      reconnected: 0,
    };
    const stopWatch = watchClientLoop();
    await target.watch?.(true);
    const c0 = totalCpuMs(pids());
    const k0 = cpuMs(Deno.pid);
    const ops0 = await target.storageOps();
    const t = performance.now();
    const startedAt = Date.now();
    const sent = await run(stats);
    const seconds = (performance.now() - t) / 1000;
    const end = performance.now() + SETTLE_MS;
    while (stats.delivered < stats.expected && performance.now() < end) await sleep(20);
    stopWatch();
    await target.watch?.(false);
    const server = (await target.diagnostics?.()) ?? null;
    const ops1 = await target.storageOps();
    const ok = stats.expected / 2;
    const r: PhaseResult = {
      phase: name,
      startedAt,
      load: loadAverage(),
      sent,
      failed: sent - ok,
      seconds,
      msgPerS: ok / seconds,
      sendMs: percentiles(stats.sendMs),
      deliveryMs: percentiles(stats.deliveryMs),
      serverCpuMsPerMsg: (totalCpuMs(pids()) - c0) / Math.max(1, ok),
      clientCpuMsPerMsg: (cpuMs(Deno.pid) - k0) / Math.max(1, ok),
      storageOpsPerSend: ops0 === null || ops1 === null ? null : (ops1 - ops0) / Math.max(1, ok),
      reconnected: stats.reconnected,
      timeline: timeline(stats, t, startedAt, server),
    };
    phases.push(r);
    say(
      `  ${name}: ${r.msgPerS.toFixed(0)} msg/s, delivery p50 ${r.deliveryMs.p50.toFixed(1)} ` +
        `p99 ${r.deliveryMs.p99.toFixed(1)} ms, ${r.failed} failed`,
    );
  };

  const maybeReconnect = (stats: PhaseStats) => {
    if (!reconnectLeft) return null;
    return reconnectSome().then((n) => {
      stats.reconnected = n;
    });
  };

  for (const rate of o.rates) {
    await measure(`rate ${rate}/s`, async (stats) => {
      const total = Math.round(rate * o.durationS);
      const start = performance.now();
      const inFlight = new Set<Promise<unknown>>();
      let reconnecting: Promise<void> | null = null;
      for (let n = 0; n < total; n++) {
        const wait = start + (n * 1000) / rate - performance.now();
        if (wait > 1) await sleep(wait);
        while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        const p: Promise<unknown> = sendOne(stats).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (n === Math.floor(total / 2)) reconnecting = maybeReconnect(stats);
      }
      await Promise.all(inFlight);
      await reconnecting;
      return total;
    });
  }
  if (o.saturate > 0) {
    await measure(`saturated, ${o.concurrency} senders`, async (stats) => {
      let n = 0;
      let reconnecting: Promise<void> | null = null;
      await Promise.all(Array.from({ length: o.concurrency }, async () => {
        while (n < o.saturate) {
          if (n++ === Math.floor(o.saturate / 2)) reconnecting = maybeReconnect(stats);
          await sendOne(stats);
        }
      }));
      await reconnecting;
      return o.saturate;
    });
  }

  let lost = 0;
  let duplicated = 0;
  for (const key of expected) {
    const n = received.get(key) ?? 0;
    if (n === 0) lost++;
    if (n > 1) duplicated += n - 1;
  }
  for (const s of streams) s.close();
  await target.stop();
  return {
    target: target.name,
    describe: target.describe,
    users: o.users,
    connectS,
    rssBeforeMb: rssBefore / 1024,
    rssSignedInMb: rssSignedIn / 1024,
    rssConnectedMb: rssConnected / 1024,
    rssPerConnectionKb: (rssConnected - rssBefore) / o.users,
    rssPerIdleConnectionKb: rssIdle === null ? null : (rssIdle - rssBefore) / o.users,
    idle,
    phases,
    lost,
    duplicated,
  };
}
