/**
 * Parley as the bench runs it: main.ts's server, plus KV call counters (bench/kv_counter.ts)
 * and what group commit did (kv/group_commit.ts), served as JSON on a second loopback port, so
 * the bench can report KV operations per send and sends per commit.
 * It writes both addresses to $BENCH_READY_FILE once it listens.
 */
import { countKv, kvCounts } from "./kv_counter.ts";

countKv();
const { loadConfig } = await import("../services/core/config.ts");
const { startParley } = await import("../server.ts");
const { groupCommitStats } = await import("../kv/group_commit.ts");

const parley = await startParley(loadConfig(Deno.env.toObject()), { hostname: "127.0.0.1" });
const stats = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  () =>
    Response.json({
      ...kvCounts,
      group: groupCommitStats(parley.deps.kv),
      memory: Deno.memoryUsage(),
    }),
);
const ready = { url: parley.url, stats: `http://127.0.0.1:${stats.addr.port}` };
Deno.writeTextFileSync(Deno.env.get("BENCH_READY_FILE")!, JSON.stringify(ready));

Deno.addSignalListener("SIGTERM", async () => {
  await stats.shutdown();
  await parley.close();
  Deno.exit(0);
});
