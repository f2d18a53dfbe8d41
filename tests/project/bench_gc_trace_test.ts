import assert from "node:assert/strict";
import { gcThreadMs, parseGcTrace } from "../../bench/gc_trace.ts";

// Lines as V8 14 printed them for the bench's Parley process (a worker's isolate among them).
const LOG = [
  "listening on http://127.0.0.1:40123",
  "[32613:0x55ebdfc92000]      246 ms: Scavenge 7.9 (10.0) -> 7.0 (10.5) MB, pooled: 0.0 MB, " +
  "1.16 / 0.00 ms (average mu = 1.000, current mu = 1.000) allocation failure; ",
  "bench: time origin 1796339113899.8433",
  "[32613:0x55ebdfe16000]       34 ms: Scavenge 4.4 (5.2) -> 3.8 (5.8) MB, pooled: 0.0 MB, " +
  "1.69 / 0.00 ms (average mu = 1.000, current mu = 1.000) allocation failure; ",
  "[32613:0x55ebdfc92000]    27408 ms: Incremental Mark-Compact 109.1 (159.8) -> 56.7 (155.7) MB," +
  " pooled: 3.2 MB, 11.17 / 0.00 ms (+ 76.6 ms in 589 steps since start of marking, biggest step" +
  " 2.6 ms, walltime since start of marking 101 ms) (average mu = 0.994, current mu = 0.9) " +
  "finalize incremental marking via task; GC in old space requested",
  "[32613:0x55ebdfc92000]    27500 ms: Scavenge 60.0 (88.3) -> 40.6 (91.8) MB, pooled: 0.0 MB, " +
  "7.04 / 0.00 ms (average mu = 0.994, current mu = 0.995) allocation failure; ",
  "[32613:0x55ebdfc92000]    28000 ms: Mark-Compact 60.0 (88.3) -> 40.6 (91.8) MB, pooled: 0.0 " +
  "MB, 35.50 / 0.00 ms (average mu = 0.9, current mu = 0.9) allocation failure; ",
  "not a gc line: 12 ms: Scavenge",
].join("\n");

Deno.test("bench GC trace: the main isolate's collections on the wall clock", () => {
  const events = parseGcTrace(LOG);
  const origin = 1796339113899.8433;
  // The worker's isolate (one event) is left out; the main one's four remain, in order.
  assert.deepEqual(events.map((e) => [e.kind, e.at - origin]), [
    ["scavenge", 246],
    ["major", 27408],
    ["scavenge", 27500],
    ["major", 28000],
  ]);
  const major = events[1];
  assert.equal(major.pauseMs, 11.17);
  assert.equal(major.stepsMs, 76.6);
  assert.equal(major.wallMs, 101);
  assert.equal(Math.round(gcThreadMs(major) * 100) / 100, 87.77);
  // A non-incremental major GC: all of it is the pause.
  assert.deepEqual([events[3].pauseMs, events[3].stepsMs, events[3].wallMs], [35.5, 0, 35.5]);
  assert.equal(gcThreadMs(events[0]), 1.16);
});

Deno.test("bench GC trace: without the time-origin line nothing can be placed", () => {
  assert.deepEqual(parseGcTrace(LOG.replace(/bench: time origin [\d.]+/, "")), []);
  assert.deepEqual(parseGcTrace(""), []);
});
