import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { loadConfig } from "../../services/core/config.ts";
import { startParley } from "../../server.ts";
import { listDeliveries } from "../../services/webhooks/events.ts";
import { api, API_SECRET, AUTH_SECRET, login, send, startServer } from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";
import { startReceiver, verifySignature } from "../support/webhook_receiver.ts";

const SECRET = "whsec-test-0123456789abcdef";

type Log = {
  webhook_url: string | null;
  deliveries: {
    id: string;
    type: string;
    state: string;
    attempts: { attempt: number; status: number | null; ok: boolean; error?: string }[];
    next_attempt_at: string | null;
  }[];
  next_cursor: string | null;
};

async function waitUntil(what: string, ok: () => Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!await ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("webhooks: message.sent and message.read arrive signed; the receiver verifies them", async () => {
  const rx = startReceiver(SECRET);
  const s = await startManaged({ PARLEY_WEBHOOK_URL: rx.url, PARLEY_WEBHOOK_SECRET: SECRET });
  try {
    const [alice, bob] = [await login(s.url, "alice"), await login(s.url, "bob")];
    const m = await send(s.url, alice, "bob", 'Привет, "Bob" <b>');
    const [sent] = await rx.waitFor(1);
    assert.equal(sent.valid, true);
    assert.equal(sent.headers.get("content-type"), "application/json");
    assert.equal(sent.headers.get("x-parley-event"), "message.sent");
    assert.equal(sent.headers.get("x-parley-delivery"), sent.event.id);
    assert.match(sent.headers.get("x-parley-signature")!, /^t=\d{10},v1=[0-9a-f]{64}$/);
    assert.deepEqual(Object.keys(sent.event).sort(), ["created_at", "data", "id", "type"]);
    assert.equal(sent.event.type, "message.sent");
    assert.match(sent.event.id, /^[0-9A-Z]{26}$/);
    assert.deepEqual(sent.event.data, m);
    // The signature covers the exact body: one changed byte no longer verifies.
    const sig = sent.headers.get("x-parley-signature");
    assert.equal(await verifySignature(SECRET, sig, sent.body.replace("alice", "alicf")), false);
    assert.equal(await verifySignature("another-secret-0123456789", sig, sent.body), false);

    await api(s.url, "POST", "/api/v1/dialogs/alice/read", { token: bob, json: { up_to: m.id } });
    const [, read] = await rx.waitFor(2);
    assert.equal(read.valid, true);
    assert.equal(read.event.type, "message.read");
    const { read_at, ...rest } = read.event.data;
    assert.deepEqual(rest, { reader: "bob", peer: "alice", up_to: m.id, unread: 0 });
    assert.equal(typeof read_at, "string");
    // Reading the same again moves nothing and reports nothing.
    await api(s.url, "POST", "/api/v1/dialogs/alice/read", { token: bob, json: { up_to: m.id } });

    await manage(s.url, "POST", "/users/bob/system-message", { json: { text: "Welcome" } });
    const [, , sys] = await rx.waitFor(3);
    assert.equal(sys.event.type, "message.sent");
    assert.equal(sys.event.data.kind, "system");
    assert.equal(sys.event.data.from, "system");
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(rx.received.length, 3);
  } finally {
    await s.close();
    await rx.close();
  }
});

Deno.test("webhooks: complaint.created arrives signed with who, about whom and why", async () => {
  const rx = startReceiver(SECRET);
  const s = await startManaged({ PARLEY_WEBHOOK_URL: rx.url, PARLEY_WEBHOOK_SECRET: SECRET });
  try {
    const [alice, bob] = [await login(s.url, "alice"), await login(s.url, "bob")];
    const m = await send(s.url, bob, "alice", "buy cheap pills");
    const r = await api<{ complaint: { id: string } }>(s.url, "POST", "/api/v1/complaints", {
      token: alice,
      json: { user_id: "bob", message_id: m.id, reason: "spam", text: "spam again" },
    });
    assert.equal(r.status, 201);
    const got = await rx.waitFor(2);
    const c = got.find((d) => d.event.type === "complaint.created")!;
    assert.equal(c.valid, true);
    const { created_at, ...data } = c.event.data;
    assert.deepEqual(data, {
      id: r.body.complaint.id,
      reporter: "alice",
      target: "bob",
      message_id: m.id,
      reason: "spam",
      text: "spam again",
    });
    assert.equal(typeof created_at, "string");
  } finally {
    await s.close();
    await rx.close();
  }
});

Deno.test("webhooks: retried with backoff after the receiver fails twice; the log shows each attempt", async () => {
  const rx = startReceiver(API_SECRET, { failFirst: 2 }); // no webhook secret: the API secret signs
  const s = await startManaged({ PARLEY_WEBHOOK_URL: rx.url, PARLEY_WEBHOOK_RETRY_BASE_MS: "60" });
  try {
    const alice = await login(s.url, "alice");
    const m = await send(s.url, alice, "bob", "are you there?");
    const got = await rx.waitFor(3);
    assert.deepEqual(got.map((r) => r.headers.get("x-parley-attempt")), ["1", "2", "3"]);
    assert.ok(got.every((r) => r.valid), "every attempt is freshly and validly signed");
    assert.ok(got.every((r) => r.event.id === got[0].event.id), "one event, three attempts");
    assert.deepEqual(got[2].event.data, m);
    // Exponential: about 60 ms, then about 120 ms.
    assert.ok(got[1].at - got[0].at >= 55, `first retry after ${got[1].at - got[0].at} ms`);
    assert.ok(got[2].at - got[1].at >= 115, `second retry after ${got[2].at - got[1].at} ms`);

    let log: Log | undefined;
    await waitUntil("the delivery log", async () => {
      log = (await manage<Log>(s.url, "GET", "/webhooks/log")).body;
      return log.deliveries[0]?.state === "delivered";
    });
    assert.equal(log!.webhook_url, rx.url);
    const d = log!.deliveries[0];
    assert.equal(d.id, got[0].event.id);
    assert.equal(d.type, "message.sent");
    assert.equal(d.next_attempt_at, null);
    assert.deepEqual(
      d.attempts.map((a) => [a.attempt, a.status, a.ok, a.error]),
      [[1, 500, false, "HTTP 500"], [2, 500, false, "HTTP 500"], [3, 200, true, undefined]],
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(rx.received.length, 3, "no delivery after success");
  } finally {
    await s.close();
    await rx.close();
  }
});

Deno.test("webhooks: given up after PARLEY_WEBHOOK_MAX_ATTEMPTS, logged as failed", async () => {
  const rx = startReceiver(SECRET, { status: 503 });
  const s = await startManaged({
    PARLEY_WEBHOOK_URL: rx.url,
    PARLEY_WEBHOOK_SECRET: SECRET,
    PARLEY_WEBHOOK_RETRY_BASE_MS: "20",
    PARLEY_WEBHOOK_MAX_ATTEMPTS: "2",
  });
  try {
    await send(s.url, await login(s.url, "alice"), "bob", "hello?");
    await rx.waitFor(2);
    let log: Log | undefined;
    await waitUntil("a failed delivery", async () => {
      log = (await manage<Log>(s.url, "GET", "/webhooks/log?state=failed")).body;
      return log.deliveries.length === 1;
    });
    assert.deepEqual(log!.deliveries[0].attempts.map((a) => a.status), [503, 503]);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(rx.received.length, 2);
    const delivered = await manage<Log>(s.url, "GET", "/webhooks/log?state=delivered");
    assert.deepEqual(delivered.body.deliveries, []);
  } finally {
    await s.close();
    await rx.close();
  }
});

Deno.test("webhooks: poll delivery (KV without queues) retries through the outbox", async () => {
  const rx = startReceiver(SECRET, { failFirst: 1 });
  const s = await startManaged({
    PARLEY_WEBHOOK_URL: rx.url,
    PARLEY_WEBHOOK_SECRET: SECRET,
    PARLEY_WEBHOOK_DELIVERY: "poll",
    PARLEY_WEBHOOK_RETRY_BASE_MS: "30",
  });
  try {
    const m = await send(s.url, await login(s.url, "alice"), "bob", "polled");
    const got = await rx.waitFor(2);
    assert.deepEqual(got.map((r) => [r.valid, r.headers.get("x-parley-attempt")]), [
      [true, "1"],
      [true, "2"],
    ]);
    assert.deepEqual(got[1].event.data, m);
    await waitUntil("an empty outbox", async () => {
      for await (const _ of s.parley.deps.kv.list({ prefix: keys.webhookOutboxAll() })) {
        return false;
      }
      return true;
    });
  } finally {
    await s.close();
    await rx.close();
  }
});

Deno.test("webhooks: a pending retry survives a restart (queue delivery)", async () => {
  const kvPath = await Deno.makeTempFile({ prefix: "parley-test-", suffix: ".sqlite" });
  const rx = startReceiver(SECRET, { failFirst: 1 });
  const cfg = loadConfig({
    PORT: "0",
    PARLEY_KV_PATH: kvPath,
    PARLEY_AUTH_SECRET: AUTH_SECRET,
    PARLEY_WEBHOOK_URL: rx.url,
    PARLEY_WEBHOOK_SECRET: SECRET,
    PARLEY_WEBHOOK_RETRY_BASE_MS: "300",
    PARLEY_TRUSTED_IPS: "127.0.0.1",
    PARLEY_API_SECRET: API_SECRET,
  });
  try {
    const first = await startParley(cfg, { hostname: "127.0.0.1" });
    await send(first.url, await login(first.url, "alice"), "bob", "before the restart");
    await rx.waitFor(1);
    await waitUntil("the first attempt logged", async () => {
      const r = await manage<Log>(first.url, "GET", "/webhooks/log");
      return r.body.deliveries[0]?.state === "retrying";
    });
    await first.close(); // the retry is due 300 ms later, in a process that is gone
    const second = await startParley(cfg, { hostname: "127.0.0.1" });
    try {
      const [a, b] = await rx.waitFor(2);
      assert.equal(b.event.id, a.event.id);
      assert.equal(b.headers.get("x-parley-attempt"), "2");
      assert.equal(b.valid, true);
    } finally {
      await second.close();
    }
  } finally {
    await rx.close();
    for (const ext of ["", "-wal", "-shm"]) await Deno.remove(kvPath + ext).catch(() => {});
  }
});

Deno.test("webhooks: a delivery cut short by shutdown is kept, uncounted, for the next start", async () => {
  const kvPath = await Deno.makeTempFile({ prefix: "parley-test-", suffix: ".sqlite" });
  const rx = startReceiver(SECRET, { holdFirst: true });
  const cfg = loadConfig({
    PORT: "0",
    PARLEY_KV_PATH: kvPath,
    PARLEY_AUTH_SECRET: AUTH_SECRET,
    PARLEY_WEBHOOK_URL: rx.url,
    PARLEY_WEBHOOK_SECRET: SECRET,
  });
  try {
    const first = await startParley(cfg, { hostname: "127.0.0.1" });
    await send(first.url, await login(first.url, "alice"), "bob", "cut short");
    await rx.waitFor(1); // the site hangs on it
    await first.close(); // must not wait for the hung site, nor leak the request
    const second = await startParley(cfg, { hostname: "127.0.0.1" });
    try {
      const [a, b] = await rx.waitFor(2);
      assert.equal(b.event.id, a.event.id);
      assert.equal(b.headers.get("x-parley-attempt"), "1");
      await waitUntil("the delivery logged", async () => {
        const log = await listDeliveries(second.deps.kv, { limit: 5 });
        return log.deliveries[0]?.state === "delivered";
      });
      const log = await listDeliveries(second.deps.kv, { limit: 5 });
      assert.deepEqual(log.deliveries[0].attempts.map((x) => [x.attempt, x.status]), [[1, 200]]);
    } finally {
      await second.close();
    }
  } finally {
    await rx.close();
    for (const ext of ["", "-wal", "-shm"]) await Deno.remove(kvPath + ext).catch(() => {});
  }
});

Deno.test("webhooks: the delivery log pages newest first and validates its query", async () => {
  const rx = startReceiver(SECRET);
  const s = await startManaged({ PARLEY_WEBHOOK_URL: rx.url, PARLEY_WEBHOOK_SECRET: SECRET });
  try {
    const alice = await login(s.url, "alice");
    for (const t of ["one", "two", "three"]) await send(s.url, alice, "bob", t);
    const got = await rx.waitFor(3);
    await waitUntil("three log entries", async () => {
      const r = await manage<Log>(s.url, "GET", "/webhooks/log");
      return r.body.deliveries.filter((d) => d.state === "delivered").length === 3;
    });
    const ids = got.map((r) => r.event.id).sort().reverse();
    const p1 = await manage<Log>(s.url, "GET", "/webhooks/log?limit=2");
    assert.deepEqual(p1.body.deliveries.map((d) => d.id), ids.slice(0, 2));
    const p2 = await manage<Log>(
      s.url,
      "GET",
      `/webhooks/log?limit=2&cursor=${p1.body.next_cursor}`,
    );
    assert.deepEqual(p2.body.deliveries.map((d) => d.id), ids.slice(2));
    assert.equal(p2.body.next_cursor, null);
    // The log names no user and holds no message text.
    const raw = JSON.stringify(p1.body) + JSON.stringify(p2.body);
    assert.equal(/alice|bob|three/.test(raw), false);

    const bad: [string, string, string][] = [
      ["limit=0", "invalid_query", "limit"],
      ["state=lost", "invalid_state", "state"],
      ["cursor=nope", "invalid_cursor", "cursor"],
    ];
    for (const [q, code, field] of bad) {
      const r = await manage<{ error: { code: string; field: string } }>(
        s.url,
        "GET",
        `/webhooks/log?${q}`,
      );
      assert.equal(r.status, 400);
      assert.deepEqual([r.body.error.code, r.body.error.field], [code, field]);
    }
  } finally {
    await s.close();
    await rx.close();
  }
});

Deno.test("webhooks: without PARLEY_WEBHOOK_URL nothing is queued or logged", async () => {
  const s = await startServer();
  try {
    await send(s.url, await login(s.url, "alice"), "bob", "quiet");
    for await (const e of s.parley.deps.kv.list({ prefix: keys.webhookLogs() })) {
      assert.fail(`unexpected log entry ${JSON.stringify(e.key)}`);
    }
  } finally {
    await s.close();
  }
});
