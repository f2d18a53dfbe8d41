/**
 * bench/heap_snapshot.ts against a real V8 inspector: a Deno process holding a known number of
 * live objects and closures, and garbage that must not be counted.
 */
import assert from "node:assert/strict";
import { runTool, withInspected } from "../support/inspected.ts";

const HOLDER = `class Marker { constructor(readonly i: number) {} }
const kept: unknown[] = [];
for (let i = 0; i < 2000; i++) kept.push(new Marker(i), function keptClosure() { return i; });
// Garbage: made and dropped; the snapshot collects it first.
for (let i = 0; i < 50000; i++) new Marker(i);
console.log("ready");
setInterval(() => kept.length, 1000);
`;

Deno.test("bench heap snapshot: counts what a process keeps alive, per stream, and not its garbage", async () => {
  await withInspected(HOLDER, async (where, dir) => {
    const out = await runTool("heap_snapshot.ts", [where, "2000", `${dir}/out.heapsnapshot`]);
    const countOf = (kind: string) =>
      Number(out.split("\n").find((l) => l.trim().endsWith(`  ${kind}`))?.trim().split(/\s+/)[0]);
    // Exactly the kept ones: the 50,000 dropped Markers were collected before the count.
    assert.equal(countOf("object Marker"), 2000, out);
    assert.equal(countOf("closure keptClosure"), 2000, out);
    assert.match(out, /^live heap \d+\.\d MB \(\d+\.\d KB per stream\)$/m);
    const objects = Number(out.match(/^objects (\d+) \((\d+\.\d) per stream\)$/m)?.[1]);
    assert.ok(objects > 4000, `objects ${objects}`);
    assert.ok((await Deno.stat(`${dir}/out.heapsnapshot`)).size > 100_000);
  });
});
