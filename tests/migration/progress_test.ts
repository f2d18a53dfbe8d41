/** The import's progress output: a bar redrawn in place on a terminal, plain lines elsewhere. */
import assert from "node:assert/strict";
import { StreamProgress } from "../../services/migration/progress.ts";

function capture() {
  const chunks: string[] = [];
  const dec = new TextDecoder();
  return {
    chunks,
    out: {
      writeSync(b: Uint8Array) {
        chunks.push(dec.decode(b));
        return b.length;
      },
    },
  };
}

Deno.test("progress on a terminal: one bar redrawn with rate and time left", () => {
  let now = 0;
  const { chunks, out } = capture();
  const p = new StreamProgress(out, true, () => now);
  p.start("messages", 10_000);
  now = 2000;
  p.advance(4000);
  assert.equal(
    chunks.at(-1),
    "\rmessages [##########--------------] 4,000/10,000 40% 2,000/s ETA 00:03",
  );
  now = 2050;
  p.advance(100); // redrawn at most every 100 ms
  assert.equal(chunks.length, 1);
  now = 5000;
  p.advance(5900);
  p.end();
  assert.equal(
    chunks.at(-1),
    "\rmessages [########################] 10,000/10,000 100% 2,000/s ETA 00:00\n",
  );
  assert.ok(chunks.every((c) => !c.includes("\n") || c === chunks.at(-1)));
});

Deno.test("progress in a log: plain lines every few seconds and at the end", () => {
  let now = 0;
  const { chunks, out } = capture();
  const p = new StreamProgress(out, false, () => now);
  p.start("messages", 1_000_000);
  for (let s = 1; s <= 12; s++) {
    now = s * 1000;
    p.advance(2500);
  }
  p.end();
  assert.deepEqual(chunks, [
    "messages: 1,000,000 rows to read\n",
    "messages 12,500/1,000,000 1% 2,500/s ETA 06:35\n",
    "messages 25,000/1,000,000 2% 2,500/s ETA 06:30\n",
    "messages 30,000/1,000,000 3% 2,500/s ETA 06:28\n",
  ]);
});
