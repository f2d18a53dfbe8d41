import assert from "node:assert/strict";
import { api, login, send, SseClient, startServer, ticket } from "../support/helpers.ts";

type Msg = { id: string; from: string; text: string };

Deno.test("SSE: a stream starts with ready and carries message and read events live", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const sa = await SseClient.open(s.url, a);
    const sb = await SseClient.open(s.url, b);
    try {
      assert.equal(sb.status, 200);
      assert.match(sb.res.headers.get("content-type")!, /^text\/event-stream/);
      const ready = await sb.waitFor((e) => e.event === "ready");
      assert.equal(ready.id, "0");

      const m = await send(s.url, a, "b", "hello live");
      const got = await sb.waitFor((e) => e.event === "message");
      assert.equal((got.data as Msg).id, m.id);
      assert.equal((got.data as Msg).text, "hello live");
      assert.equal(got.id, "1");
      // The sender's own stream gets it too (other tabs stay in sync).
      await sa.waitFor((e) => e.event === "message");

      await api(s.url, "POST", "/api/v1/dialogs/a/read", { token: b, json: { up_to: m.id } });
      const read = await sa.waitFor((e) => e.event === "read");
      assert.deepEqual(
        { ...(read.data as Record<string, unknown>), read_at: "x" },
        { reader: "b", peer: "a", up_to: m.id, read_at: "x", unread: 0 },
      );
    } finally {
      await sa.close();
      await sb.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("SSE: reconnecting with Last-Event-ID replays every missed event, none twice", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const first = await SseClient.open(s.url, b);
    await send(s.url, a, "b", "before-1");
    await send(s.url, a, "b", "before-2");
    await first.waitCount("message", 2);
    const lastId = first.ofType("message").at(-1)!.id!;
    await first.close();

    // While b is offline, a sends 30 more.
    for (let i = 0; i < 30; i++) await send(s.url, a, "b", `offline-${i}`);

    const again = await SseClient.open(s.url, b, { lastEventId: lastId });
    try {
      await send(s.url, a, "b", "after");
      const msgs = await again.waitCount("message", 31);
      const texts = msgs.map((e) => (e.data as Msg).text);
      assert.deepEqual(texts, [...Array.from({ length: 30 }, (_, i) => `offline-${i}`), "after"]);
      const ids = msgs.map((e) => Number(e.id));
      assert.deepEqual(ids, Array.from({ length: 31 }, (_, i) => Number(lastId) + 1 + i));
    } finally {
      await again.close();
    }

    // The query-string form works too (for clients that cannot set headers).
    const viaQuery = await SseClient.open(s.url, b, { query: `&last_event_id=${lastId}` });
    try {
      await viaQuery.waitCount("message", 31);
    } finally {
      await viaQuery.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("SSE: two tabs of one user both receive every event", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const b1 = await login(s.url, "b");
    const b2 = await login(s.url, "b");
    const t1 = await SseClient.open(s.url, b1);
    const t2 = await SseClient.open(s.url, b2);
    try {
      await t1.waitFor((e) => e.event === "ready");
      await t2.waitFor((e) => e.event === "ready");
      await Promise.all(Array.from({ length: 10 }, (_, i) => send(s.url, a, "b", `x${i}`)));
      const e1 = await t1.waitCount("message", 10);
      const e2 = await t2.waitCount("message", 10);
      assert.deepEqual(e1.map((e) => e.id), e2.map((e) => e.id));
      assert.equal(new Set(e1.map((e) => (e.data as Msg).id)).size, 10);
    } finally {
      await t1.close();
      await t2.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("SSE: a server restart loses nothing that was acknowledged", async () => {
  const s = await startServer();
  const a = await login(s.url, "a");
  const b = await login(s.url, "b");
  for (let i = 0; i < 5; i++) await send(s.url, a, "b", `r${i}`);
  // Restart on the same KV file (new process state, same store).
  const { startParley } = await import("../../server.ts");
  const cfg = s.parley.deps.cfg;
  await s.parley.close();
  const again = await startParley({ ...cfg, port: 0 }, { hostname: "127.0.0.1" });
  try {
    const stream = await SseClient.open(again.url, b, { lastEventId: "0" });
    try {
      const msgs = await stream.waitCount("message", 5);
      assert.deepEqual(msgs.map((e) => (e.data as Msg).text), ["r0", "r1", "r2", "r3", "r4"]);
    } finally {
      await stream.close();
    }
  } finally {
    await again.close();
    await Deno.remove(s.kvPath).catch(() => {});
  }
});

Deno.test("SSE: bad token is 401 JSON, bad Last-Event-ID is 400", async () => {
  const s = await startServer();
  try {
    const r = await api(s.url, "GET", "/api/v1/events?ticket=nope");
    assert.equal(r.status, 401);
    assert.equal((r.body as { error: { code: string } }).error.code, "unauthorized");
    const b = await login(s.url, "b");
    const bad = await api(
      s.url,
      "GET",
      `/api/v1/events?ticket=${await ticket(s.url, b, "events")}`,
      {
        headers: { "last-event-id": "abc" },
      },
    );
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { error: { field: string } }).error.field, "last_event_id");
  } finally {
    await s.close();
  }
});

Deno.test("SSE: heartbeat comments keep an idle stream alive", async () => {
  const s = await startServer({ PARLEY_SSE_HEARTBEAT_MS: "40" });
  try {
    const b = await login(s.url, "b");
    const stream = await SseClient.open(s.url, b);
    try {
      // Polled, not timed: a loaded machine may fire the 40 ms timer late.
      const end = Date.now() + 5000;
      while (stream.comments < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      assert.ok(stream.comments >= 3, `got ${stream.comments} heartbeats`);
      assert.deepEqual(stream.events.map((e) => e.event), ["ready"]);
    } finally {
      await stream.close();
    }
  } finally {
    await s.close();
  }
});
