/**
 * Parley as the bench runs it: main.ts's server, plus KV call counters (bench/kv_counter.ts)
 * and what group commit did (kv/group_commit.ts), served as JSON on a second loopback port, so
 * the bench can report KV operations per send and sends per commit.
 * It writes both addresses to $BENCH_READY_FILE once it listens.
 */
import { countKv, kvCounts, recordSlowKv, slowKv } from "./kv_counter.ts";

countKv();
const { loadConfig } = await import("../services/core/config.ts");
const { startParley } = await import("../server.ts");
const { groupCommitStats } = await import("../kv/group_commit.ts");

// Event-loop stalls, watched only while the bench measures a phase (a 5 ms timer would cost an
// idle server more than its streams do): a timer that fires late says the loop was busy (a long
// task, a GC pause) for that long. The bench lines them up with its delivery timeline.
const TICK_MS = 5;
const stalls: { at: number; ms: number }[] = [];
let watch: ReturnType<typeof setInterval> | undefined;
function watchLoop(on: boolean) {
  clearInterval(watch);
  watch = undefined;
  if (!on) return;
  let last = performance.now();
  watch = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late >= 10) stalls.push({ at: Date.now() - late, ms: Math.round(late) });
    if (stalls.length > 10_000) stalls.shift();
    last = now;
  }, TICK_MS);
}

const parley = await startParley(loadConfig(Deno.env.toObject()), { hostname: "127.0.0.1" });
const stats = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  (req) => {
    const on = new URL(req.url).searchParams.get("watch");
    if (on !== null) {
      watchLoop(on === "1");
      recordSlowKv(on === "1");
    }
    return Response.json({
      ...kvCounts,
      group: groupCommitStats(parley.deps.kv),
      memory: Deno.memoryUsage(),
      stalls,
      slowKv,
    });
  },
);
const ready = { url: parley.url, stats: `http://127.0.0.1:${stats.addr.port}` };
Deno.writeTextFileSync(Deno.env.get("BENCH_READY_FILE")!, JSON.stringify(ready));
// V8's --trace-gc stamps its lines in ms since this isolate began: this puts them on the clock.
console.log(`bench: time origin ${performance.timeOrigin}`);

Deno.addSignalListener("SIGTERM", async () => {
  await stats.shutdown();
  await parley.close();
  Deno.exit(0);
});
