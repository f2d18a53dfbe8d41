import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { PRESENCE_TTL_MS, type PresenceRecord } from "../../kv/people/presence.ts";
import { TYPING_REPEAT_MS } from "../../kv/messaging/typing.ts";
import { api, login, send, SseClient, startServer, type TestServer } from "../support/helpers.ts";

type Presence = { user_id: string; online: boolean; last_seen: string | null };
type DialogItem = { peer: string; online: boolean; last_seen: string | null };

const GRACE_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function presenceIn(s: TestServer, token: string, peer: string) {
  const r = await api<{ dialogs: DialogItem[] }>(s.url, "GET", "/api/v1/dialogs", { token });
  const d = r.body.dialogs.find((d) => d.peer === peer)!;
  const c = await api<
    { contacts: { user: { user_id: string }; online: boolean; last_seen: string }[] }
  >(
    s.url,
    "GET",
    "/api/v1/contacts",
    { token },
  );
  const contact = c.body.contacts.find((x) => x.user.user_id === peer)!;
  // Dialogs and contacts agree.
  assert.equal(contact.online, d.online);
  assert.equal(contact.last_seen, d.last_seen);
  return { online: d.online, last_seen: d.last_seen };
}

/**
 * Runs `body` against a fresh server; every stream it opens through `open` is closed afterwards,
 * even when an assertion fails (an open stream would keep the server from shutting down).
 */
async function withServer(
  env: Record<string, string>,
  body: (s: TestServer, open: (token: string) => Promise<SseClient>) => Promise<void>,
) {
  const s = await startServer(env);
  const streams: SseClient[] = [];
  const open = async (token: string) => {
    const c = await SseClient.open(s.url, token);
    streams.push(c);
    return c;
  };
  try {
    await body(s, open);
  } finally {
    for (const c of streams) await c.close();
    await s.close();
  }
}

/** Waits until `pred` holds, polling. */
async function eventually(pred: () => Promise<boolean>, ms = 3000) {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error("condition not reached");
    await sleep(20);
  }
}

Deno.test("presence: two streams of one user go online once and offline only after both close", async () => {
  await withServer({ PARLEY_PRESENCE_GRACE_MS: String(GRACE_MS) }, async (s, open) => {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    await send(s.url, a, "b", "hi");
    const watcher = await open(b);
    await watcher.waitFor((e) => e.event === "ready");
    assert.deepEqual(await presenceIn(s, b, "a"), { online: false, last_seen: null });

    const tab1 = await open(a);
    const online = await watcher.waitFor((e) => e.event === "presence");
    assert.equal((online.data as Presence).user_id, "a");
    assert.equal((online.data as Presence).online, true);
    assert.ok(Date.parse((online.data as Presence).last_seen!) > Date.now() - 5000);
    assert.equal((await presenceIn(s, b, "a")).online, true);

    const tab2 = await open(a);
    await tab2.waitFor((e) => e.event === "ready");
    await tab1.close();
    await sleep(GRACE_MS * 3);
    // One tab still open: still online, and nobody was told anything more.
    assert.equal(watcher.ofType("presence").length, 1);
    assert.equal((await presenceIn(s, b, "a")).online, true);

    const closedAt = Date.now();
    await tab2.close();
    const offline = await watcher.waitFor((e) =>
      e.event === "presence" && !(e.data as Presence).online
    );
    const seen = Date.parse((offline.data as Presence).last_seen!);
    assert.ok(seen >= closedAt - 1000 && seen <= Date.now(), "last_seen is when the tab closed");
    assert.ok(
      Date.now() - closedAt >= GRACE_MS - 50,
      "offline is announced after the grace period",
    );
    assert.deepEqual(await presenceIn(s, b, "a"), {
      online: false,
      last_seen: (offline.data as Presence).last_seen,
    });
    assert.equal(watcher.ofType("presence").length, 2);
  });
});

Deno.test("presence: a reload within the grace period tells contacts nothing", async () => {
  await withServer({ PARLEY_PRESENCE_GRACE_MS: "1500" }, async (s, open) => {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    await send(s.url, b, "a", "hi");
    const watcher = await open(b);
    const first = await open(a);
    await watcher.waitCount("presence", 1);
    await first.close();
    await eventually(async () => {
      const r = (await s.parley.deps.kv.get<PresenceRecord>(keys.presence("a"))).value!;
      return Object.keys(r.streams).length === 0;
    });
    const again = await open(a);
    await again.waitFor((e) => e.event === "ready");
    await eventually(async () => {
      const r = (await s.parley.deps.kv.get<PresenceRecord>(keys.presence("a"))).value!;
      return Object.keys(r.streams).length === 1;
    });
    const reopened = (await s.parley.deps.kv.get(keys.presence("a"))).versionstamp;
    await sleep(1800);
    assert.equal(watcher.ofType("presence").length, 1);
    assert.equal((await presenceIn(s, b, "a")).online, true);
    // The settle after the grace found the new stream: it wrote nothing.
    assert.equal((await s.parley.deps.kv.get(keys.presence("a"))).versionstamp, reopened);
  });
});

Deno.test("presence: a stream that died without closing reads offline after the TTL", async () => {
  await withServer({ PARLEY_PRESENCE_GRACE_MS: String(GRACE_MS) }, async (s, open) => {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    await send(s.url, a, "b", "hi");
    const kv = s.parley.deps.kv;
    // What a crashed instance leaves behind: a stream whose heartbeat stopped, announced online.
    const lastBeat = Date.now() - PRESENCE_TTL_MS - 1000;
    const crashed: PresenceRecord = {
      streams: { dead: lastBeat },
      announced: true,
      last_seen: null,
    };
    await kv.set(keys.presence("a"), crashed);
    assert.deepEqual(await presenceIn(s, b, "a"), {
      online: false,
      last_seen: new Date(lastBeat).toISOString(),
    });
    // The same record with a fresh heartbeat reads online.
    await kv.set(keys.presence("a"), { ...crashed, streams: { alive: Date.now() - 1000 } });
    assert.equal((await presenceIn(s, b, "a")).online, true);

    // Coming back after the crash is announced again (contacts may have seen "offline").
    await kv.set(keys.presence("a"), crashed);
    const watcher = await open(b);
    await open(a);
    const back = await watcher.waitFor((e) => e.event === "presence");
    assert.equal((back.data as Presence).online, true);
    const record = (await kv.get<PresenceRecord>(keys.presence("a"))).value!;
    assert.deepEqual(Object.keys(record.streams).length, 1, "the dead stream was dropped");
  });
});

Deno.test("typing: the peer gets a typing event with expires_at; repeats are throttled", async () => {
  await withServer({}, async (s, open) => {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const sa = await open(a);
    const sb = await open(b);
    const before = Date.now();
    const r = await api(s.url, "POST", "/api/v1/dialogs/b/typing", { token: a });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { ok: true });
    const e = await sb.waitFor((e) => e.event === "typing");
    const data = e.data as { from: string; to: string; expires_at: string };
    assert.equal(data.from, "a");
    assert.equal(data.to, "b");
    const ttl = Date.parse(data.expires_at) - before;
    assert.ok(ttl >= 4000 && ttl <= 6500, `expires about 5 s ahead, got ${ttl} ms`);

    // A burst of keystrokes: answered, not logged again; then a message passes them.
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await api(s.url, "POST", "/api/v1/dialogs/b/typing", { token: a })).status,
        200,
      );
    }
    await send(s.url, a, "b", "done typing");
    await sb.waitFor((e) => e.event === "message");
    assert.equal(sb.ofType("typing").length, 1);
    // The typist's own streams do not get it.
    await sa.waitFor((e) => e.event === "message");
    assert.equal(sa.ofType("typing").length, 0);

    // After the throttle window a new event with a later expiry is logged.
    await sleep(TYPING_REPEAT_MS + 50);
    await api(s.url, "POST", "/api/v1/dialogs/b/typing", { token: a });
    const [, second] = await sb.waitCount("typing", 2);
    assert.ok(
      Date.parse((second.data as { expires_at: string }).expires_at) > Date.parse(data.expires_at),
    );

    for (
      const [peer, code] of [["a", "self_dialog"], ["system", "system_no_reply"], [
        "x y",
        "invalid_user_id",
      ]]
    ) {
      const bad = await api<{ error: { code: string } }>(
        s.url,
        "POST",
        `/api/v1/dialogs/${encodeURIComponent(peer)}/typing`,
        { token: a },
      );
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, code);
    }
  });
});
