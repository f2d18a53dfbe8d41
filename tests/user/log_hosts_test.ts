/**
 * Which hosts stream a log, and the rings that wake them (kv/messaging/log_hosts.ts): a host's
 * own writes ring nobody, another host's writes ring it through its one watched doorbell, a
 * writer that read the list before a host joined cannot commit without ringing it, stale hosts
 * leave the list, and rings are deleted once read.
 */
import assert from "node:assert/strict";
import { addEvents, readSeqs } from "../../kv/messaging/events.ts";
import { type HostRing, joinLog, leaveLog } from "../../kv/messaging/log_hosts.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { keys } from "../../kv/keys.ts";
import { openKv } from "../../kv/open.ts";
import { hostId } from "../../kv/people/presence_hosts.ts";
import { login, removeKvFile, send, SseClient, startServer } from "../support/helpers.ts";

/** The text of a `message` event's message, if it is one. */
const textOf = (e: { event: string; data: unknown }) =>
  e.event === "message" ? (e.data as { text: string }).text : undefined;

async function until(what: string, ok: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!await ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rings(kv: Deno.Kv, prefix: Deno.KvKey = ["host_ring"]) {
  const out: Deno.KvEntry<HostRing>[] = [];
  for await (const e of kv.list<HostRing>({ prefix })) out.push(e);
  return out;
}

async function tempKvs(): Promise<[Deno.Kv, Deno.Kv, () => Promise<void>]> {
  const path = await Deno.makeTempFile({ prefix: "parley-hosts-", suffix: ".sqlite" });
  const a = await openKv(path);
  const b = await openKv(path);
  return [a, b, async () => {
    a.close();
    b.close();
    await removeKvFile(path);
  }];
}

Deno.test("log hosts: own sends ring nobody; another host's send rings this one, and the ring is gone once read", async () => {
  const s = await startServer();
  const kv = s.parley.deps.kv;
  // Another instance: its own KV handle on the same file (its own host id), no bus of its own.
  const other = await openKv(s.kvPath);
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const [sa, sb] = [await SseClient.open(s.url, a), await SseClient.open(s.url, b)];
    try {
      await sa.waitFor((e) => e.event === "ready");
      await sb.waitFor((e) => e.event === "ready");
      const me = hostId(kv);
      await until("both logs joined", async () => {
        const [ha, hb] = await kv.getMany<string[][]>([keys.logHosts("a"), keys.logHosts("b")]);
        return ha.value?.join() === me && hb.value?.join() === me;
      });

      // One process: a send wakes its streams directly and writes no ring.
      for (let i = 0; i < 5; i++) await send(s.url, a, "b", `local ${i}`);
      await sb.waitFor((e) => textOf(e) === "local 4");
      assert.deepEqual(await rings(kv), []);

      // A send stored by the other host rings this one: its streams hear it without a notify.
      assert.notEqual(hostId(other), me);
      await sendMessage(other, { from: "b", to: "a", text: "from elsewhere" });
      const got = await sa.waitFor((e) => textOf(e) === "from elsewhere");
      await sb.waitFor((e) => textOf(e) === "from elsewhere");
      assert.ok(got.id);
      // Read rings are deleted; the other host (streaming nothing) was rung by nobody.
      await until("rings deleted", async () => (await rings(kv)).length === 0);
      assert.deepEqual(await rings(other, keys.hostRings(hostId(other))), []);
    } finally {
      await sa.close();
      await sb.close();
    }
  } finally {
    other.close();
    await s.close();
  }
});

Deno.test("log hosts: a writer that read the list before a host joined fails its check, and rings the host on the retry", async () => {
  const [kv1, kv2, done] = await tempKvs();
  try {
    // Twice: a log not started yet (no counter), then one with events.
    for (const round of [1, 2]) {
      const uid = "u";
      const stale = await readSeqs(kv1, [uid]);
      assert.equal(stale.get(uid)!.seq, round - 1);
      await joinLog(kv2, uid);
      const op = kv1.atomic();
      addEvents(op, stale, [{ uid, type: "note", data: round }]);
      assert.equal((await op.commit()).ok, false, "a write blind to the join committed");

      const fresh = await readSeqs(kv1, [uid]);
      assert.deepEqual(fresh.get(uid)!.remote, [hostId(kv2)]);
      const retry = kv1.atomic();
      addEvents(retry, fresh, [{ uid, type: "note", data: round }]);
      assert.equal((await retry.commit()).ok, true);
      const rung = await rings(kv1, keys.hostRings(hostId(kv2)));
      assert.deepEqual(rung.map((e) => e.value.logs), [[uid]]);
      assert.ok((await kv1.get(keys.hostWake(hostId(kv2)))).versionstamp);
      await kv1.delete(rung[0].key);
      // The writer's own host is never on its own list of others.
      await joinLog(kv1, uid);
      assert.deepEqual((await readSeqs(kv1, [uid])).get(uid)!.remote, [hostId(kv2)]);
      await leaveLog(kv1, uid, () => false);
      await leaveLog(kv2, uid, () => false);
      assert.equal((await kv1.get(keys.logHosts(uid))).versionstamp, null);
    }
  } finally {
    await done();
  }
});

Deno.test("log hosts: joining drops hosts whose lease went stale; leaving keeps a host still streaming", async () => {
  const [kv1, kv2, done] = await tempKvs();
  try {
    await kv1.set(keys.presenceHost("live"), { at: Date.now() });
    await kv1.set(keys.presenceHost("gone"), { at: Date.now() - 10 * 60_000 });
    await kv1.set(keys.presenceHost("closed"), { at: Date.now(), gone: true });
    await kv1.set(keys.logHosts("u"), ["gone", "live", "closed", "never-leased"]);
    await joinLog(kv1, "u");
    assert.deepEqual((await kv1.get(keys.logHosts("u"))).value, ["live", hostId(kv1)]);
    // Joining renewed this host's lease, so the next joiner keeps it.
    await joinLog(kv2, "u");
    assert.deepEqual((await kv1.get(keys.logHosts("u"))).value, ["live", hostId(kv1), hostId(kv2)]);
    await leaveLog(kv1, "u", () => true);
    assert.deepEqual((await kv1.get(keys.logHosts("u"))).value, ["live", hostId(kv1), hostId(kv2)]);
    await leaveLog(kv1, "u", () => false);
    assert.deepEqual((await kv1.get(keys.logHosts("u"))).value, ["live", hostId(kv2)]);
    // A log whose user is being erased is not joined.
    await kv1.set(keys.erasing("v"), { started_at: Date.now() });
    await joinLog(kv2, "v");
    assert.equal((await kv1.get(keys.logHosts("v"))).versionstamp, null);
  } finally {
    await done();
  }
});

Deno.test("log hosts: a server that shuts down closes its lease, so the next joiner drops it from the list", async () => {
  const s = await startServer();
  const path = s.kvPath;
  const kv = await openKv(path);
  try {
    const a = await login(s.url, "a");
    const stream = await SseClient.open(s.url, a);
    await stream.waitFor((e) => e.event === "ready");
    const gone = hostId(s.parley.deps.kv);
    await until(
      "a's log joined",
      async () => (await kv.get<string[]>(keys.logHosts("a"))).value?.includes(gone) ?? false,
    );
    await stream.close();
    await s.parley.close();
    const lease = (await kv.get<{ at: number; gone?: true }>(keys.presenceHost(gone))).value;
    assert.equal(lease?.gone, true);
    assert.ok(Date.now() - lease!.at < 60_000);
    // Another process streaming a's log joins it: the closed host leaves the list at once.
    await joinLog(kv, "a");
    assert.deepEqual((await kv.get(keys.logHosts("a"))).value, [hostId(kv)]);
  } finally {
    kv.close();
    await removeKvFile(path);
  }
});
