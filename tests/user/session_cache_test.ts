/**
 * The in-memory sessions of users with a stream open (services/realtime/session_cache.ts): a
 * session ended elsewhere (another instance writing the same KV, which tells this one nothing but
 * through the ring it adds to the revocation, kv/messaging/log_hosts.ts) is refused here as soon
 * as the ring arrives, and users without a stream here are read from KV on every request.
 */
import assert from "node:assert/strict";
import { revokeSession, revokeSessions } from "../../kv/people/sessions.ts";
import { login, send, SseClient, startServer } from "../support/helpers.ts";
import { SessionCache } from "../../services/realtime/session_cache.ts";
import type { Session } from "../../kv/types.ts";

const unread = (base: string, token: string) =>
  fetch(`${base}/api/v1/unread`, { headers: { authorization: `Bearer ${token}` } }).then(
    async (r) => {
      await r.body?.cancel();
      return r.status;
    },
  );

Deno.test("session cache: a log-out by another instance is refused within a wake; users without a stream are read every time", async () => {
  const s = await startServer();
  // Another instance: its own KV handle on the same file, and no way to call this one's bus.
  const other = await Deno.openKv(s.kvPath);
  try {
    // a has two sessions (two browsers): one holds a stream here, the other only sends requests.
    const a = await login(s.url, "a");
    const a2 = await login(s.url, "a");
    const b = await login(s.url, "b");
    const stream = await SseClient.open(s.url, a);
    try {
      await stream.waitFor((e) => e.event === "ready");
      // Twice: the second answer comes from memory.
      assert.equal(await unread(s.url, a2), 200);
      assert.equal(await unread(s.url, a2), 200);
      assert.equal(await unread(s.url, b), 200);
      assert.equal(await unread(s.url, b), 200);

      // b has no stream here, so nothing of theirs is kept: refused on the very next request.
      assert.equal(await revokeSessions(other, "b"), 1);
      assert.equal(await unread(s.url, b), 401);

      // a's second session is kept; its log-out rings this instance (a has a stream here).
      // a's stream stays open (its own session lives on), so only the wake can drop the copy.
      assert.equal(await revokeSession(other, a2), "a");
      const end = Date.now() + 5000;
      let status = 200;
      while (status === 200 && Date.now() < end) {
        status = await unread(s.url, a2);
        if (status === 200) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 401, "a revoked session still served from memory");
      assert.equal(await unread(s.url, a), 200);
    } finally {
      await stream.close();
    }
  } finally {
    other.close();
    await s.close();
  }
});

Deno.test("session cache: a user's session is in memory once their stream is open, before their first request", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const kv = s.parley.deps.kv;
    const reads: string[] = [];
    const get = kv.get.bind(kv);
    kv.get = ((key: Deno.KvKey, o?: { consistency?: Deno.KvConsistencyLevel }) => {
      if (key[0] === "session") {
        const stack = new Error().stack!;
        reads.push(
          stack.includes("sessionGone")
            ? "stream"
            : stack.includes("redeemTicket")
            ? "ticket"
            : "request",
        );
      }
      return get(key, o);
    }) as Deno.Kv["get"];
    const stream = await SseClient.open(s.url, a);
    try {
      await stream.waitFor((e) => e.event === "ready");
      // The stream listens before this instance joins a's host list (one synchronous step), so
      // the join's re-check always runs: it reads the session and keeps it.
      const end = Date.now() + 5000;
      while (!reads.includes("stream") && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.deepEqual(reads, ["request", "ticket", "stream"]);
      // The first requests after the open (a send, say) are answered from memory.
      assert.equal(await unread(s.url, a), 200);
      assert.equal(await unread(s.url, a), 200);
      assert.deepEqual(reads, ["request", "ticket", "stream"]);
    } finally {
      await stream.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("session cache: a read is kept unless its own user was dropped since it began", () => {
  const cache = new SessionCache();
  const session = (user_id: string) =>
    ({ user_id, expires_at: Date.now() + 60_000 }) as unknown as Session;
  // a's read began; b's sessions were dropped meanwhile (b's stream joined): a's is still kept.
  let g = cache.generation;
  cache.drop("b");
  cache.put("ta", session("a"), g);
  assert.equal(cache.get("ta")?.user_id, "a");
  // b's read began before b's drop: not kept. One begun after it is.
  g = cache.generation;
  cache.drop("b");
  cache.put("tb", session("b"), g);
  assert.equal(cache.get("tb"), null);
  g = cache.generation;
  cache.put("tb", session("b"), g);
  assert.equal(cache.get("tb")?.user_id, "b");
  // A drop forgets what it held; clear() refuses every read begun before it.
  cache.drop("a");
  assert.equal(cache.get("ta"), null);
  g = cache.generation;
  cache.clear();
  cache.put("tc", session("c"), g);
  assert.equal(cache.get("tc"), null);
  // Past 10,000 remembered drops the record starts again and older reads are refused.
  g = cache.generation;
  for (let i = 0; i <= 10_000; i++) cache.drop(`u${i}`);
  cache.put("td", session("d"), g);
  assert.equal(cache.get("td"), null);
  g = cache.generation;
  cache.put("td", session("d"), g);
  assert.equal(cache.get("td")?.user_id, "d");
});

Deno.test("session cache: a stream whose session re-check fails (storage error) stays open and is not an unhandled rejection", async () => {
  const s = await startServer();
  const bus = s.parley.deps.bus;
  const a = await login(s.url, "a");
  const b = await login(s.url, "b");
  const stream = await SseClient.open(s.url, a);
  const realSession = bus.session.bind(bus);
  const errors: unknown[][] = [];
  const realError = console.error;
  try {
    await stream.waitFor((e) => e.event === "ready");
    let failed = 0;
    bus.session = () => {
      failed++;
      return Promise.reject(new Error("storage unavailable"));
    };
    console.error = (...args: unknown[]) => errors.push(args);
    // A revocation wake of a's streams: the re-check reads the session, and the read fails.
    bus.revoked("a");
    const end = Date.now() + 5000;
    while (!errors.length && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.ok(failed >= 1, "the re-check read the session");
    assert.match(String(errors[0]?.[0]), /session re-check failed/);
    console.error = realError;
    bus.session = realSession;
    // The stream was not ended by a failed read: it still carries b's message.
    await send(s.url, b, "a", "still here");
    const got = await stream.waitFor((e) => e.event === "message");
    assert.equal((got.data as { text: string }).text, "still here");
  } finally {
    console.error = realError;
    bus.session = realSession;
    await stream.close();
    await s.close();
  }
});
