/**
 * bench/alloc_profile.ts against a real V8 inspector: a Deno process whose two functions allocate
 * garbage at a known ratio, and keep none of it. The tool must count what was collected since
 * (that is what fills the young generation), rank the functions by it and divide by the messages.
 */
import assert from "node:assert/strict";
import { runTool, withInspected } from "../support/inspected.ts";

/** The tool's table line of function `fn` in `out`. */
const lineOf = (out: string, fn: string) => out.split("\n").find((l) => l.includes(` ${fn} `));
/** Its share in percent (0 where it is not listed). */
const share = (out: string, fn: string) => Number(lineOf(out, fn)?.trim().split(/\s+/)[0] ?? 0);

// Every 5 ms: bigAllocator makes 4 × the arrays smallAllocator makes, all dropped at once.
const ALLOCATOR = `let sink = 0;
function bigAllocator() {
  for (let i = 0; i < 160; i++) sink += new Array(256).fill(i).length;
}
function smallAllocator() {
  for (let i = 0; i < 40; i++) sink += new Array(256).fill(i).length;
}
// Each its own timer's callback, so neither is inlined into a caller that would take its samples.
setInterval(bigAllocator, 5);
setInterval(smallAllocator, 5);
console.log("ready");
`;

Deno.test("bench allocation profile: ranks functions by what they allocated, garbage included, per message", async () => {
  await withInspected(ALLOCATOR, async (where) => {
    const out = await runTool("alloc_profile.ts", [where, "3", "100"]);
    const perMsg = (fn: string) => Number(lineOf(out, fn)?.match(/([\d.]+) KB\/msg/)?.[1]);
    const fns = out.split("top allocation by function:\n")[1].split("\n");
    assert.match(fns[0], / bigAllocator /, out);
    // 4:1 by construction; sampling every 16 KB leaves some noise.
    const ratio = share(out, "bigAllocator") / share(out, "smallAllocator");
    assert.ok(ratio > 2.5 && ratio < 6, `ratio ${ratio}\n${out}`);
    // Some 3 s × 200 ticks × 320 KB (the arrays' backing stores of 256 slots), all of it garbage:
    // a profile of live objects alone would show almost nothing.
    const total = Number(out.match(/^allocated: ([\d.]+) KB\/msg over 3 s$/m)?.[1]);
    assert.ok(total > 1000, `total ${total} KB/msg\n${out}`);
    assert.ok(perMsg("bigAllocator") > perMsg("smallAllocator"), out);
  });
});

// keptAllocator's arrays live in a ring for about two seconds, through several scavenges;
// droppedAllocator's, four times as many, die at once.
const SURVIVOR = `const ring: unknown[] = new Array(400);
let at = 0;
let sink = 0;
function keptAllocator() {
  for (let i = 0; i < 2; i++) ring[at++ % ring.length] = new Array(256).fill(i);
}
function droppedAllocator() {
  for (let i = 0; i < 8; i++) sink += new Array(256).fill(i).length;
}
// Each its own timer's callback, so neither is inlined into a caller that would take its samples.
setInterval(keptAllocator, 5);
setInterval(droppedAllocator, 5);
console.log("ready");
`;

Deno.test("bench allocation profile: `survivors` counts what outlived the young generation, not garbage that died in it", async () => {
  await withInspected(SURVIVOR, async (where) => {
    const all = await runTool("alloc_profile.ts", [where, "3"]);
    const kept = await runTool("alloc_profile.ts", [where, "3", "100", "survivors"]);
    const droppedPerKept = (out: string) =>
      share(out, "droppedAllocator") / share(out, "keptAllocator");
    // All allocation: about 4 dropped bytes to 1 kept. Survivors: the kept ones lead, and the
    // dropped ones (caught in flight by a scavenge now and then) fall by far more than 4 times.
    assert.ok(droppedPerKept(all) > 2, all);
    assert.ok(droppedPerKept(kept) < 1, kept);
    assert.ok(droppedPerKept(kept) < droppedPerKept(all) / 4, `${all}\n${kept}`);
  });
});
