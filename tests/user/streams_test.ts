/**
 * One user cannot hold more than PARLEY_MAX_STREAMS event streams: a new stream closes the
 * oldest (with a `closed` frame saying why), presence stays consistent, and once every stream is
 * gone the user reads offline after the grace period.
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { publish } from "../../kv/messaging/events.ts";
import type { PresenceRecord } from "../../kv/people/presence.ts";
import { log } from "../../services/core/log.ts";
import { api, login, send, SseClient, startServer, ticket } from "../support/helpers.ts";

type DialogItem = { peer: string; online: boolean };

async function until(pred: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("streams: beyond the cap (3) a new stream closes the oldest; presence ends with the last", async () => {
  const s = await startServer({ PARLEY_MAX_STREAMS: "3", PARLEY_PRESENCE_GRACE_MS: "200" });
  const all: SseClient[] = [];
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    await send(s.url, b, "a", "hi");
    const watcher = await SseClient.open(s.url, b);
    all.push(watcher);
    await watcher.waitFor((e) => e.event === "ready");
    const tabs: SseClient[] = [];
    for (let i = 0; i < 10; i++) {
      const t = await SseClient.open(s.url, a);
      all.push(t);
      await t.waitFor((e) => e.event === "ready");
      tabs.push(t);
    }
    // The 7 oldest were told why and ended; the 3 newest are open.
    for (const t of tabs.slice(0, 7)) {
      await t.done;
      assert.deepEqual(t.ofType("closed").map((e) => e.data), [{ reason: "too_many_streams" }]);
    }
    const kv = s.parley.deps.kv;
    const rec = (await kv.get<PresenceRecord>(keys.presence("a"))).value!;
    assert.equal(Object.keys(rec.streams).length, 3);
    // The open ones still get events, and never saw anything about the others.
    await send(s.url, b, "a", "still here");
    for (const t of tabs.slice(7)) {
      await t.waitFor((e) => e.event === "message");
      assert.equal(t.ofType("closed").length, 0);
      assert.equal(t.events.filter((e) => e.event === "stream_closed").length, 0);
    }
    const seen = async () => {
      const r = await api<{ dialogs: DialogItem[] }>(s.url, "GET", "/api/v1/dialogs", { token: b });
      return r.body.dialogs.find((d) => d.peer === "a")!.online;
    };
    assert.equal(await seen(), true);
    for (const t of tabs.slice(7)) await t.close();
    await watcher.waitFor((e) => e.event === "presence" && !(e.data as { online: boolean }).online);
    assert.equal(await seen(), false);
    assert.deepEqual((await kv.get<PresenceRecord>(keys.presence("a"))).value!.streams, {});
  } finally {
    for (const c of all) await c.close();
    await s.close();
  }
});

Deno.test("streams: a stream dropped by another instance hears it through the user's log", async () => {
  const s = await startServer({ PARLEY_MAX_STREAMS: "3" });
  const all: SseClient[] = [];
  try {
    const a = await login(s.url, "a");
    const t1 = await SseClient.open(s.url, a);
    const t2 = await SseClient.open(s.url, a);
    all.push(t1, t2);
    await t1.waitFor((e) => e.event === "ready");
    await t2.waitFor((e) => e.event === "ready");
    const kv = s.parley.deps.kv;
    const streams = async () =>
      Object.keys((await kv.get<PresenceRecord>(keys.presence("a"))).value?.streams ?? {}).sort();
    await until(async () => (await streams()).length === 2);
    const [oldest] = await streams();
    // What another instance writes when its new stream drops one of ours.
    await publish(kv, [{
      uid: "a",
      type: "stream_closed",
      data: { stream_id: oldest, reason: "too_many_streams" },
    }], (uids) => s.parley.deps.bus.notify(uids));
    await t1.done;
    assert.equal(t1.ofType("closed").length, 1);
    await send(s.url, await login(s.url, "b"), "a", "x");
    await t2.waitFor((e) => e.event === "message");
    assert.equal(t2.ofType("closed").length, 0);
  } finally {
    for (const c of all) await c.close();
    await s.close();
  }
});

Deno.test("streams: 500 tabs opened at once make no presence atomic conflict, and leave no trace", async () => {
  const s = await startServer({ PARLEY_PRESENCE_GRACE_MS: "100" });
  const warnings: string[] = [];
  const warn = log.warn;
  log.warn = (msg: string, data?: Record<string, unknown>) => {
    warnings.push(`${msg} ${JSON.stringify(data)}`);
  };
  let tabs: SseClient[] = [];
  try {
    const a = await login(s.url, "a");
    tabs = await Promise.all(Array.from({ length: 500 }, () => SseClient.open(s.url, a)));
    await Promise.all(tabs.map((t) => t.waitFor((e) => e.event === "ready", 20_000)));
    const kv = s.parley.deps.kv;
    // Each open queued behind the others: all 192 extra ones end once the queue is through.
    const closed = () => tabs.filter((t) => t.ofType("closed").length).length;
    await until(() => Promise.resolve(closed() >= 492), 20_000).catch(() => {});
    assert.equal(closed(), 492);
    assert.equal(
      Object.keys((await kv.get<PresenceRecord>(keys.presence("a"))).value!.streams).length,
      8,
    );
    for (const t of tabs) await t.close();
    await until(async () =>
      Object.keys((await kv.get<PresenceRecord>(keys.presence("a"))).value!.streams).length === 0
    );
  } catch (e) {
    for (const t of tabs) await t.close();
    throw e;
  } finally {
    log.warn = warn;
    await s.close();
  }
  assert.deepEqual(warnings, []);
});

Deno.test("streams: opening one with a ticket reads its session for the ticket, then never per heartbeat", async () => {
  const s = await startServer({ PARLEY_SSE_HEARTBEAT_MS: "40" });
  try {
    const token = await login(s.url, "reader");
    const events = await ticket(s.url, token, "events");
    const kv = s.parley.deps.kv;
    const reads: string[] = [];
    const get = kv.get.bind(kv);
    kv.get = ((key: Deno.KvKey, o?: { consistency?: Deno.KvConsistencyLevel }) => {
      if (key[0] === "session") {
        reads.push(new Error().stack!.includes("redeemTicket") ? "ticket" : "stream");
      }
      return get(key, o);
    }) as Deno.Kv["get"];
    const res = await fetch(`${s.url}/api/v1/events?ticket=${encodeURIComponent(events)}`);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("event: ready")) text += (await reader.read()).value ?? "";
    // Five heartbeats later (polled: a loaded machine fires the 40 ms timer late).
    while (text.split(": ping").length <= 5) text += (await reader.read()).value ?? "";
    // The ticket's check, once. The stream itself may read it once more: when this instance's
    // join of the user's host list lands after the stream listens, it re-checks against
    // revocations that rang before the join (services/realtime/bus.ts). Heartbeats read nothing.
    assert.equal(reads.filter((r) => r === "ticket").length, 1, reads.join());
    assert.ok(reads.filter((r) => r === "stream").length <= 1, reads.join());
    await reader.cancel();
  } finally {
    await s.close();
  }
});
