/**
 * `deno run --allow-all bench/cpu_profile.ts HOST:PORT SECONDS [OUT.cpuprofile]`: attaches to a
 * V8 inspector (`deno task bench --inspect HOST:PORT`, or any `deno run --inspect`), records a CPU
 * profile for SECONDS and prints the top self-time entries by function and by file. The raw
 * profile goes to OUT (open it in Chrome DevTools) when given.
 */
import { connectInspector } from "./inspector.ts";
import { type CallFrame, FrameTotals } from "./profile_table.ts";

const [where = "127.0.0.1:9339", secondsArg = "10", out] = Deno.args;

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
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
const totals = new FrameTotals();
for (const [id, us] of self) totals.add(byId.get(id)!.callFrame, us);
console.log(`profile: ${(totals.total / 1e6).toFixed(1)} s sampled`);
console.log(`\ntop self time by function:\n${totals.top(totals.byFn, 30)}`);
console.log(`\ntop self time by file:\n${totals.top(totals.byFile, 20)}`);
