import assert from "node:assert/strict";
import { type Beater, startBeat, stopBeat } from "../../services/realtime/heartbeat.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// What a beat sees of the timer's turns: beats called in one synchronous run share a turn.
function turnRecorder() {
  const turns: number[][] = [];
  let open: number[] | null = null;
  const record = (i: number) => {
    if (!open) {
      turns.push(open = []);
      queueMicrotask(() => open = null);
    }
    open.push(i);
  };
  return { turns, record };
}

Deno.test("heartbeat: 400 streams share one timer, spread over the interval, each beating once per interval", async () => {
  // 400 ms: 4 slots of 100 ms. Sanitizers fail the test if the shared timer outlives the beats.
  const { turns, record } = turnRecorder();
  const beats = new Map<number, number>();
  const beaters: Beater[] = Array.from({ length: 400 }, (_, i) => ({
    beat() {
      beats.set(i, (beats.get(i) ?? 0) + 1);
      record(i);
    },
  }));
  for (const b of beaters) startBeat(400, b);
  // Polled, not timed: a loaded machine fires timers late.
  const end = Date.now() + 10_000;
  while (turns.length < 8 && Date.now() < end) await sleep(20);
  for (const b of beaters) stopBeat(400, b);
  assert.ok(turns.length >= 8, `only ${turns.length} turns`);
  // Never a herd: one turn beats one slot, a quarter of the streams.
  for (const t of turns) assert.equal(t.length, 100);
  // Every stream beats in one turn of each interval (4 consecutive turns): once, never twice.
  for (let k = 0; k + 4 <= turns.length; k++) {
    const seen = turns.slice(k, k + 4).flat();
    assert.equal(new Set(seen).size, 400);
    assert.equal(seen.length, 400);
  }
  const n = turns.length;
  await sleep(250);
  assert.equal(turns.length, n, "no beat after its stream left");
});

Deno.test("heartbeat: a beat that ends its own stream mid-turn stops, the others go on", async () => {
  let selfEnding = 0, other = 0;
  const selfEnder: Beater = {
    beat() {
      selfEnding++;
      stopBeat(40, selfEnder);
      stopBeat(40, selfEnder); // twice: harmless
    },
  };
  const otherBeater: Beater = { beat: () => other++ };
  startBeat(40, selfEnder);
  startBeat(40, otherBeater);
  const end = Date.now() + 10_000;
  while (other < 3 && Date.now() < end) await sleep(10);
  stopBeat(40, otherBeater);
  assert.equal(selfEnding, 1);
  assert.ok(other >= 3);
});
