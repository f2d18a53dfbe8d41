/**
 * V8's `--trace-gc` lines from the bench's Parley process, put on the wall clock, so the delivery
 * timeline can say which seconds the JS thread spent collecting garbage. A slow second with no
 * event-loop stall of 10 ms and no slow KV call was, when measured here, nearly always a major GC:
 * its marking runs as many small steps on the JS thread (each too short to count as a stall),
 * interleaved with the server's work, for 100–250 ms.
 *
 * A line looks like (one per collection, ms since the isolate began):
 *   [pid:0x55f1…]  27408 ms: Scavenge 213.7 (248.9) -> 191.6 (249.9) MB, pooled: 0.0 MB,
 *     7.38 / 0.00 ms (average mu = …) allocation failure;
 *   [pid:0x55f1…]  27408 ms: Incremental Mark-Compact 109.1 (159.8) -> 56.7 (155.7) MB, …,
 *     11.17 / 0.00 ms (+ 76.6 ms in 589 steps since start of marking, biggest step 2.6 ms,
 *     walltime since start of marking 101 ms) (average mu = …) …
 * The bench's server prints `bench: time origin <ms>` (performance.timeOrigin) to line them up.
 */

export interface GcEvent {
  /** When the collection ended, as Date.now(). */
  at: number;
  kind: "scavenge" | "major";
  /** The final pause on the JS thread, ms. */
  pauseMs: number;
  /** A major GC's incremental marking steps on the JS thread before that pause, ms. */
  stepsMs: number;
  /** A major GC's wall time from the start of marking to its end, ms. */
  wallMs: number;
}

const LINE = /^\[\d+:(0x[0-9a-f]+)(?::\d+)?\]\s+([\d.]+) ms: (.*)$/;
const ORIGIN = /bench: time origin ([\d.]+)/;

/**
 * The main isolate's collections in `log` (a worker's isolate, such as the WAL checkpointer's,
 * logs under another address and is left out: it runs on its own thread). Empty without the
 * time-origin line.
 */
export function parseGcTrace(log: string): GcEvent[] {
  const origin = Number(log.match(ORIGIN)?.[1]);
  if (!Number.isFinite(origin)) return [];
  const byIsolate = new Map<string, GcEvent[]>();
  for (const line of log.split("\n")) {
    const m = line.match(LINE);
    if (!m) continue;
    const [, isolate, ms, text] = m;
    const major = text.includes("Mark-Compact");
    if (!major && !text.includes("Scavenge")) continue;
    const pause = text.match(/MB, ([\d.]+) \/ [\d.]+ ms/);
    if (!pause) continue;
    const steps = text.match(/\+ ([\d.]+) ms in \d+ steps/);
    const wall = text.match(/walltime since start of marking ([\d.]+) ms/);
    const list = byIsolate.get(isolate) ?? [];
    byIsolate.set(isolate, list);
    list.push({
      at: origin + Number(ms),
      kind: major ? "major" : "scavenge",
      pauseMs: Number(pause[1]),
      stepsMs: steps ? Number(steps[1]) : 0,
      wallMs: wall ? Number(wall[1]) : Number(pause[1]),
    });
  }
  // The main isolate collects the most: it holds every stream and runs every request.
  let main: GcEvent[] = [];
  for (const list of byIsolate.values()) if (list.length > main.length) main = list;
  return main;
}

/** The JS thread's GC time of one event: its pause plus, for a major GC, its marking steps. */
export const gcThreadMs = (e: GcEvent) => e.pauseMs + e.stepsMs;
