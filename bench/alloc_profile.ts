/**
 * `deno run --allow-all bench/alloc_profile.ts HOST:PORT SECONDS [MESSAGES [survivors]]`:
 * attaches to a V8 inspector (`deno task bench --inspect HOST:PORT`), samples what the JS thread
 * allocates for SECONDS (V8's sampling heap profiler, one sample every 16 KB, kept whether or not
 * the object is collected since) and prints the bytes allocated by function and by file, and per
 * message when MESSAGES (sent meanwhile) is given. Allocation is what fills the young generation:
 * every scavenge pauses the JS thread and promotes what is still in flight, which brings the next
 * major GC closer (README, "Reading a slow tail"). With `survivors`, only what outlived the young
 * generation is counted (promoted, alive or collected later by a major GC): what brings major GCs.
 */
import { connectInspector } from "./inspector.ts";
import { type CallFrame, FrameTotals } from "./profile_table.ts";

const [where = "127.0.0.1:9339", secondsArg = "10", messagesArg, mode] = Deno.args;
const survivors = mode === "survivors";

interface SamplingNode {
  callFrame: CallFrame;
  selfSize: number;
  children: SamplingNode[];
}

const inspector = await connectInspector(where);
await inspector.call("HeapProfiler.enable");
await inspector.call("HeapProfiler.startSampling", {
  samplingInterval: 16384,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: !survivors,
});
await new Promise((r) => setTimeout(r, Number(secondsArg) * 1000));
const { profile } = await inspector.call("HeapProfiler.stopSampling") as {
  profile: { head: SamplingNode };
};
inspector.close();

const totals = new FrameTotals();
const walk = (n: SamplingNode) => {
  totals.add(n.callFrame, n.selfSize);
  n.children.forEach(walk);
};
walk(profile.head);

const messages = Number(messagesArg ?? 0);
const kb = (b: number) =>
  messages ? `${(b / messages / 1024).toFixed(1)} KB/msg` : `${(b / 1024 ** 2).toFixed(1)} MB`;
const detail = (b: number) => kb(b).padStart(12);
console.log(`allocated: ${kb(totals.total)} over ${secondsArg} s`);
console.log(`\ntop allocation by function:\n${totals.top(totals.byFn, 35, detail)}`);
console.log(`\ntop allocation by file:\n${totals.top(totals.byFile, 20, detail)}`);
