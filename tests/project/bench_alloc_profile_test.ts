/**
 * bench/alloc_profile.ts against a real V8 inspector: a Deno process whose two functions allocate
 * garbage at a known ratio, and keep none of it. The tool must count what was collected since
 * (that is what fills the young generation), rank the functions by it and divide by the messages.
 */
import assert from "node:assert/strict";
import { runTool, withInspected } from "../support/inspected.ts";

// Every 5 ms: bigAllocator makes 4 × the arrays smallAllocator makes, all dropped at once.
const ALLOCATOR = `let sink = 0;
function bigAllocator() {
  for (let i = 0; i < 160; i++) sink += new Array(256).fill(i).length;
}
function smallAllocator() {
  for (let i = 0; i < 40; i++) sink += new Array(256).fill(i).length;
}
setInterval(() => { bigAllocator(); smallAllocator(); }, 5);
console.log("ready");
`;

Deno.test("bench allocation profile: ranks functions by what they allocated, garbage included, per message", async () => {
  await withInspected(ALLOCATOR, async (where) => {
    const out = await runTool("alloc_profile.ts", [where, "3", "100"]);
    const line = (fn: string) => out.split("\n").find((l) => l.includes(` ${fn} `));
    const share = (fn: string) => Number(line(fn)?.trim().split(/\s+/)[0]);
    const perMsg = (fn: string) => Number(line(fn)?.match(/([\d.]+) KB\/msg/)?.[1]);
    const fns = out.split("top allocation by function:\n")[1].split("\n");
    assert.match(fns[0], / bigAllocator /, out);
    // 4:1 by construction; sampling every 16 KB leaves some noise.
    const ratio = share("bigAllocator") / share("smallAllocator");
    assert.ok(ratio > 2.5 && ratio < 6, `ratio ${ratio}\n${out}`);
    // Some 3 s × 200 ticks × 320 KB (the arrays' backing stores of 256 slots), all of it garbage:
    // a profile of live objects alone would show almost nothing.
    const total = Number(out.match(/^allocated: ([\d.]+) KB\/msg over 3 s$/m)?.[1]);
    assert.ok(total > 1000, `total ${total} KB/msg\n${out}`);
    assert.ok(perMsg("bigAllocator") > perMsg("smallAllocator"), out);
  });
});
