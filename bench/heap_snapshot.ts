/**
 * `deno run --allow-all bench/heap_snapshot.ts HOST:PORT [STREAMS] [OUT.heapsnapshot]`: attaches
 * to a V8 inspector (`deno task bench --inspect HOST:PORT`, during the idle phase), takes a heap
 * snapshot (V8 collects garbage first, so what it counts is live) and prints the live heap, its
 * objects, both per stream when STREAMS is given, and the largest kinds of object by count. Every
 * live object is work for each major GC to mark: this is the number the 200 msg/s tail follows
 * (README, "Reading a slow tail"). The raw snapshot goes to OUT (open it in Chrome DevTools).
 */
import { connectInspector } from "./inspector.ts";

const [where = "127.0.0.1:9339", streamsArg, out] = Deno.args;
const streams = Number(streamsArg ?? 0);

const inspector = await connectInspector(where);
const chunks: string[] = [];
inspector.on("HeapProfiler.addHeapSnapshotChunk", (p) => chunks.push(p.chunk as string));
await inspector.call("HeapProfiler.enable");
await inspector.call("HeapProfiler.takeHeapSnapshot");
inspector.close();
const text = chunks.join("");
if (out) await Deno.writeTextFile(out, text);

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}
const s: Snapshot = JSON.parse(text);
const fields = s.snapshot.meta.node_fields;
const width = fields.length;
const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
const types = s.snapshot.meta.node_types[0];
const count = new Map<string, number>();
let bytes = 0;
for (let i = 0; i < s.nodes.length; i += width) {
  const type = types[s.nodes[i + typeAt]];
  const kind = type === "object" || type === "closure"
    ? `${type} ${s.strings[s.nodes[i + nameAt]] || "(anonymous)"}`
    : type;
  count.set(kind, (count.get(kind) ?? 0) + 1);
  bytes += s.nodes[i + sizeAt];
}
const objects = s.nodes.length / width;
const perStream = (n: number, unit: string) =>
  streams ? ` (${(n / streams).toFixed(1)}${unit} per stream)` : "";
console.log(`live heap ${(bytes / 2 ** 20).toFixed(1)} MB${perStream(bytes / 1024, " KB")}`);
console.log(`objects ${objects}${perStream(objects, "")}`);
for (const [kind, n] of [...count].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${String(n).padStart(9)}  ${kind}`);
}
