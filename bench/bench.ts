/**
 * `deno task bench [flags]`: Parley under a chat workload, optionally side by side with nginx +
 * nchan (memory store and Redis storage) running the SAME workload. See README "Performance".
 *
 *   --users N          connected users, one SSE stream each (5000)
 *   --idle S           seconds with every stream open and nothing sent (40; 0 skips; from 30
 *                      on, its last 10 s are also measured alone: idle streams once V8 has
 *                      collected what the opens left)
 *   --rate R[,R…]      fixed send rates in msg/s, one phase each (200; 0 skips)
 *   --duration S       seconds of each fixed-rate phase (15)
 *   --saturate M       messages of the saturation phase (5000; 0 skips)
 *   --concurrency C    closed-loop senders of the saturation phase (64)
 *   --size B           text length of each message (40)
 *   --images P         percent of sends carrying a small PNG (0)
 *   --reconnect P      percent of streams that drop and resume by Last-Event-ID mid-run (5)
 *   --kv WHERE         Parley's KV: file (a fresh temp file), :memory:, a path, or a KV URL (file)
 *   --peer nchan       also run nginx + nchan, memory store and Redis storage; `--peer
 *                      nchan,floor` adds Deno's floor (a bare Deno.serve SSE pub/sub)
 *   --only T[,T…]      run only these targets: parley, nchan-memory, nchan-redis, deno-floor
 *                      (deno-floor: a bare Deno.serve SSE pub/sub, what Deno itself costs)
 *   --env K=V          extra environment for the Parley server (repeatable)
 *   --inspect H:P      the Parley server accepts a V8 inspector there (to profile it mid-run)
 *   --json PATH        where the full results go (bench/last-run.json)
 * Exits 1 if anything was lost or duplicated.
 */
import { makePng } from "../tests/support/image_fixtures.ts";
import { denoFloorTarget, nchanTarget } from "./nchan_target.ts";
import { parleyTarget } from "./parley_target.ts";
import { loadAverage } from "./proc.ts";
import { ratios, table } from "./report.ts";
import type { Target } from "./target.ts";
import { runWorkload, type TargetResult, type WorkloadOptions } from "./workload.ts";

const args = [...Deno.args];
function flag(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
function num(name: string, def: number): number {
  const v = flag(name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number, got ${v}`);
  return n;
}
const env: Record<string, string> = {};
args.forEach((a, i) => {
  if (a === "--env") {
    const [k, ...v] = args[i + 1].split("=");
    env[k] = v.join("=");
  }
});

const opts: WorkloadOptions = {
  users: num("users", 5000),
  idleS: num("idle", 40),
  rates: (flag("rate") ?? "200").split(",").map(Number).filter((r) => r > 0),
  durationS: num("duration", 15),
  saturate: num("saturate", 5000),
  concurrency: num("concurrency", 64),
  size: num("size", 40),
  images: num("images", 0),
  reconnect: num("reconnect", 5),
};
const kv = flag("kv") ?? "file";
const peers = flag("peer")?.split(",") ?? [];
const names = flag("only")?.split(",") ?? [
  "parley",
  ...(peers.includes("nchan") ? ["nchan-memory", "nchan-redis"] : []),
  ...(peers.includes("floor") ? ["deno-floor"] : []),
];
const jsonPath = flag("json") ?? new URL("./last-run.json", import.meta.url).pathname;

const dir = await Deno.makeTempDir({ prefix: "parley-bench-" });
const build = (name: string): Target => {
  if (name === "parley") return parleyTarget({ kv, env, dir, inspect: flag("inspect") });
  if (name === "nchan-memory") return nchanTarget(dir, false);
  if (name === "nchan-redis") return nchanTarget(dir, true);
  if (name === "deno-floor") return denoFloorTarget(dir);
  throw new Error(`unknown target ${name}`);
};
const image = await makePng(64, 64);

console.log(
  `bench: ${opts.users} users, idle ${opts.idleS} s, rates ${opts.rates.join(",") || "none"} ` +
    `× ${opts.durationS} s, saturation ${opts.saturate} msgs × ${opts.concurrency} senders, ` +
    `${opts.size}-char texts, ${opts.images} % images; load average ${loadAverage()}`,
);
const results: TargetResult[] = [];
let stopCurrent: (() => Promise<void>) | null = null;
Deno.addSignalListener("SIGINT", async () => {
  await stopCurrent?.();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  Deno.exit(130);
});
try {
  for (const name of names) {
    const target = build(name);
    stopCurrent = () => target.stop();
    console.log(`${name}: ${target.describe}`);
    try {
      results.push(await runWorkload(target, opts, image, console.log));
    } finally {
      await target.stop();
      stopCurrent = null;
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

console.log(`\n${table(results)}\n`);
for (const line of ratios(results)) console.log(line);
await Deno.writeTextFile(
  jsonPath,
  JSON.stringify({ at: new Date().toISOString(), options: opts, kv, results }, null, 2),
);
console.log(`\nfull results: ${jsonPath}`);
if (results.some((r) => r.lost || r.duplicated)) Deno.exit(1);
