/**
 * `deno run --allow-all bench/cpu_profile.ts HOST:PORT SECONDS [OUT.cpuprofile]`: attaches to a
 * V8 inspector (`deno task bench --inspect HOST:PORT`, or any `deno run --inspect`), records a CPU
 * profile for SECONDS and prints the top self-time entries by function and by file. The raw
 * profile goes to OUT (open it in Chrome DevTools) when given.
 */
import { connectInspector } from "./inspector.ts";

const [where = "127.0.0.1:9339", secondsArg = "10", out] = Deno.args;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const inspector = await connectInspector(where);
const call = inspector.call;

await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 200 });
await call("Profiler.start");
await new Promise((r) => setTimeout(r, Number(secondsArg) * 1000));
const { profile } = await call("Profiler.stop") as { profile: Profile };
inspector.close();
if (out) await Deno.writeTextFile(out, JSON.stringify(profile));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of self) {
  const f = byId.get(id)!.callFrame;
  const file = f.url.replace(/^.*\/(node_modules|perf13|main)\//, "") || "(native)";
  const fn = `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  byFile.set(file, (byFile.get(file) ?? 0) + us);
}
const top = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, us]) => `${(100 * us / total).toFixed(1).padStart(5)} %  ${k}`).join("\n");
console.log(`profile: ${(total / 1e6).toFixed(1)} s sampled`);
console.log(`\ntop self time by function:\n${top(byFn, 30)}`);
console.log(`\ntop self time by file:\n${top(byFile, 20)}`);
