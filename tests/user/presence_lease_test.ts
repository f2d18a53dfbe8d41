/**
 * What a reconnect costs presence. A host's own lease (kv/people/presence_hosts.ts) is known where
 * it was committed: a presence change of a user whose streams are all on this host reads the
 * record and nothing else. Other hosts' leases are still read, and a host that retired reads as
 * closed. And a goodbye's settle, due after the grace period, reads nothing when the user has a
 * stream open here again (kv/people/presence.ts).
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import {
  hostId,
  leaseTimes,
  liveHosts,
  renewLease,
  retireHost,
} from "../../kv/people/presence_hosts.ts";
import { committed } from "../../kv/after_commit.ts";
import { api, login, SseClient, startServer, tempKv } from "../support/helpers.ts";
import { spyOnReads } from "../support/kv_spy.ts";

Deno.test("presence lease: reopening streams reads no lease of this host once it has committed one", async () => {
  const rec = spyOnReads();
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const first = await SseClient.open(s.url, a);
    await first.waitFor((e) => e.event === "ready");
    // The first hello wrote this host's lease; from here on it is known here.
    await new Promise((r) => setTimeout(r, 100));
    rec.clear();
    for (let i = 0; i < 3; i++) {
      const again = await SseClient.open(s.url, a);
      await again.waitFor((e) => e.event === "ready");
      await again.close();
    }
    await new Promise((r) => setTimeout(r, 300));
    const presence = rec.calls.flat().filter((k) => k === JSON.stringify(keys.presence("a")));
    assert.ok(presence.length >= 3, `the record was read for each change: ${rec.calls.flat()}`);
    const leases = rec.calls.flat().filter((k) => k.startsWith('["presence_host"'));
    assert.deepEqual(leases, [], "no lease read: every stream is on this host");
    await first.close();
  } finally {
    rec.restore();
    await s.close();
  }
});

Deno.test("presence lease: another host's lease is read, this host's comes from its commit, a retired host reads closed", async () => {
  // Before the KV opens: its handles bind the methods as they are then (kv/open.ts).
  const rec = spyOnReads();
  const { kv, cleanup } = await tempKv("parley-lease-");
  try {
    await kv.set(keys.presenceHost("elsewhere"), { at: 1234 });
    const me = hostId(kv);
    // Not committed yet: read from KV (absent).
    assert.deepEqual([...await leaseTimes(kv, [me, "elsewhere"])], [["elsewhere", 1234]]);
    const op = kv.atomic();
    const now = Date.now();
    renewLease(kv, op, now);
    assert.ok((await op.commit()).ok);
    committed(op);
    // KV says otherwise now: only a reader that skipped KV would still see `now`.
    await kv.set(keys.presenceHost(me), { at: 1 });
    rec.clear();
    {
      assert.deepEqual(await leaseTimes(kv, [me]), new Map([[me, now]]));
      assert.deepEqual(rec.calls.flat(), [], "this host's own lease needs no read");
      assert.deepEqual(
        await leaseTimes(kv, [me, "elsewhere"]),
        new Map([[me, now], ["elsewhere", 1234]]),
      );
      assert.deepEqual(rec.calls.flat(), [JSON.stringify(keys.presenceHost("elsewhere"))]);
    }
    await retireHost(kv);
    assert.deepEqual(
      await liveHosts(kv, [me], 60_000),
      [],
      "a retired host is not live here either",
    );
    // A renewal committing after the retirement does not reopen it here.
    const late = kv.atomic();
    renewLease(kv, late, Date.now() + 1);
    assert.ok((await late.commit()).ok);
    committed(late);
    assert.deepEqual(await liveHosts(kv, [me], 60_000), []);
  } finally {
    rec.restore();
    await cleanup();
  }
});

Deno.test("presence: a reconnect within the grace period costs a goodbye and a hello, and its settle reads nothing", async () => {
  const rec = spyOnReads();
  const s = await startServer({ PARLEY_PRESENCE_GRACE_MS: "200" });
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    await api(s.url, "POST", "/api/v1/dialogs/a/messages", { token: b, json: { text: "hi" } });
    const watcher = await SseClient.open(s.url, b);
    await watcher.waitFor((e) => e.event === "ready");
    const first = await SseClient.open(s.url, a);
    await watcher.waitFor((e) => e.event === "presence");
    await new Promise((r) => setTimeout(r, 100));
    rec.clear();
    await first.close();
    const again = await SseClient.open(s.url, a);
    await again.waitFor((e) => e.event === "ready");
    // Past the grace period: the settle the goodbye scheduled has run.
    await new Promise((r) => setTimeout(r, 600));
    const reads = rec.calls.flat().filter((k) => k === JSON.stringify(keys.presence("a")));
    assert.equal(reads.length, 2, `goodbye and hello only: ${rec.calls.flat().join(" ")}`);
    // Nobody heard anything: a's contact saw one "online", no "offline", no second "online".
    assert.equal(watcher.ofType("presence").length, 1);
    // Once the user is gone for good, the settle runs and tells the contact.
    await again.close();
    const offline = await watcher.waitFor((e) =>
      e.event === "presence" && !(e.data as { online: boolean }).online
    );
    assert.equal((offline.data as { user_id: string }).user_id, "a");
    await watcher.close();
  } finally {
    rec.restore();
    await s.close();
  }
});
