/**
 * The event bus (services/realtime/bus.ts) and the heartbeat (services/realtime/heartbeat.ts) as
 * an open stream uses them: one listener object per stream, no closure per subscription.
 */
import assert from "node:assert/strict";
import { appended } from "../../kv/after_commit.ts";
import { EventBus, type StreamListener, type Wake } from "../../services/realtime/bus.ts";
import { type Beater, startBeat, stopBeat } from "../../services/realtime/heartbeat.ts";
import type { StoredEvent } from "../../kv/types.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A stream as the bus sees it, recording what it was told. */
function recorder(onShutdown?: () => void) {
  const heard: string[] = [];
  const wakes: Wake[] = [];
  const s: StreamListener = {
    wake(w) {
      wakes.push(w);
      heard.push(w.events ? `events:${w.events.map((e) => e.seq).join(",")}` : "wake");
    },
    revoked: () => heard.push("revoked"),
    shutdown() {
      heard.push("shutdown");
      onShutdown?.();
    },
  };
  return { s, heard, wakes };
}

async function until(cond: () => boolean, what: string) {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

Deno.test("bus: an attached stream hears its log's commits, its owner's revocations and the close; detach ends it all", async () => {
  const kv = await Deno.openKv(":memory:");
  const bus = new EventBus(kv);
  const a = recorder(), b = recorder(), admin = recorder();
  bus.attach("u1", "u1", a.s);
  bus.attach("u2", "u2", b.s);
  // A moderator's admin-log stream: the log is not theirs, their revocations are.
  bus.attach("admin", "u1", admin.s);
  // Joining each log's host list wakes its first stream once (what other hosts wrote before).
  await until(
    () => a.heard.length >= 2 && b.heard.length >= 2 && admin.heard.length >= 2,
    "the joins' wakes",
  );
  assert.deepEqual(a.heard, ["wake", "revoked"]);
  // Its own log's join, and u1's (whose revocations it hears too), in either order.
  assert.deepEqual([...admin.heard].sort(), ["revoked", "wake"]);
  a.heard.length = b.heard.length = admin.heard.length = 0;

  const ev: StoredEvent[] = [{ seq: 7, type: "message", data: {} }];
  appended(kv, new Map([["u1", ev]]));
  assert.deepEqual(a.heard, ["events:7"]);
  assert.equal(a.wakes[a.wakes.length - 1].events, ev, "the commit's own events, not a copy");
  assert.deepEqual(b.heard, [], "another user's log");
  assert.deepEqual(admin.heard, [], "the admin log is another log");

  bus.revoked("u1");
  assert.deepEqual(a.heard, ["events:7", "revoked"]);
  assert.deepEqual(admin.heard, ["revoked"], "the moderator's stream re-checks their rights");
  assert.deepEqual(b.heard, []);

  bus.detach("u1", "u1", a.s);
  bus.detach("u1", "u1", a.s); // twice: harmless
  appended(kv, new Map([["u1", ev]]));
  bus.revoked("u1");
  assert.deepEqual(a.heard, ["events:7", "revoked"], "nothing after detach");
  assert.deepEqual(admin.heard, ["revoked", "revoked"], "the other stream of u1 still hears");
  assert.equal(bus.watchedUsers, 2);

  bus.close();
  assert.deepEqual(b.heard, ["shutdown"]);
  assert.deepEqual(admin.heard, ["revoked", "revoked", "shutdown"]);
  assert.ok(!a.heard.includes("shutdown"), "a detached stream is not ended again");
  assert.equal(bus.watchedUsers, 0);
  kv.close();
});

Deno.test("bus: a stream that detaches itself while the bus closes (as every stream does) ends once, the others too", async () => {
  const kv = await Deno.openKv(":memory:");
  const bus = new EventBus(kv);
  const streams = Array.from({ length: 50 }, (_, i) => {
    const r = recorder(() => bus.detach(`u${i % 5}`, `u${i % 5}`, r.s));
    bus.attach(`u${i % 5}`, `u${i % 5}`, r.s);
    return r;
  });
  bus.close();
  for (const r of streams) assert.equal(r.heard.filter((h) => h === "shutdown").length, 1);
  assert.equal(bus.watchedUsers, 0);
  // Let the joins that were under way settle against the still open KV.
  await sleep(50);
  kv.close();
});

Deno.test("heartbeat: a beater object beats until stopped; starting it twice beats it once per interval", async () => {
  let beats = 0, other = 0;
  const b: Beater = { beat: () => beats++ };
  const o: Beater = { beat: () => other++ };
  startBeat(60, b);
  startBeat(60, b);
  startBeat(60, o);
  const end = Date.now() + 10_000;
  while (other < 4 && Date.now() < end) await sleep(10);
  stopBeat(60, b);
  stopBeat(60, b); // twice: harmless
  // One slot per stream per interval: the twice-started beater beat as often as the other.
  assert.ok(Math.abs(beats - other) <= 1, `beats ${beats}, other ${other}`);
  const n = beats;
  while (other < 7 && Date.now() < end) await sleep(10);
  stopBeat(60, o);
  assert.equal(beats, n, "no beat after stopBeat");
});
