/**
 * Reads made in one turn go out as one getMany (coalescedReads, kv/batch.ts), and a send's reads
 * before its commit are made that way: one KV call for its client id, ban, blocks and profiles.
 */
import assert from "node:assert/strict";
import { coalescedReads } from "../../kv/batch.ts";
import { keys } from "../../kv/keys.ts";
import { api, login, startServer } from "../support/helpers.ts";
import { spyOnReads } from "../support/kv_spy.ts";

Deno.test("coalesced reads: one turn's get and getManys are one getMany, each caller gets its own entries", async () => {
  const kv = await Deno.openKv(":memory:");
  const rec = spyOnReads();
  try {
    await kv.set(["a", 1], "one");
    await kv.set(["b", 2], "two");
    await kv.set(["c", 3], "three");
    const reads = coalescedReads(kv);
    rec.clear();
    const [one, pair, missing] = await Promise.all([
      reads.get<string>(["a", 1]),
      reads.getMany<[string, string]>([["b", 2], ["c", 3]]),
      reads.getMany([["nothing"], ["a", 1], ["none", 9], ["b", 2]]),
    ]);
    assert.equal(rec.calls.length, 1, JSON.stringify(rec.calls));
    assert.equal(rec.calls[0].length, 7);
    assert.equal(one.value, "one");
    assert.deepEqual(pair.map((e) => e.value), ["two", "three"]);
    assert.deepEqual(missing.map((e) => e.value), [null, "one", null, "two"]);
    assert.deepEqual(missing[1].key, ["a", 1]);
    assert.ok(missing[1].versionstamp, "entries are the KV's own, versionstamps included");

    // Reads of separate turns are separate calls; more than 10 keys of one turn are chunked.
    rec.clear();
    await reads.get(["a", 1]);
    await reads.get(["b", 2]);
    assert.equal(rec.calls.length, 2);
    rec.clear();
    const many = await Promise.all(
      Array.from({ length: 13 }, (_, i) => reads.get(i % 2 ? ["a", 1] : ["x", i])),
    );
    assert.deepEqual(rec.calls.map((c) => c.length), [10, 3]);
    assert.deepEqual(many.map((e) => e.value), many.map((_, i) => i % 2 ? "one" : null));

    // A call's keys stay in one getMany (one snapshot), never split across two.
    rec.clear();
    const [eight, three] = await Promise.all([
      reads.getMany(Array.from({ length: 8 }, (_, i) => ["x", i])),
      reads.getMany([["a", 1], ["b", 2], ["c", 3]]),
    ]);
    assert.deepEqual(rec.calls.map((c) => c.length), [8, 3]);
    assert.equal(eight.length, 8);
    assert.deepEqual(three.map((e) => e.value), ["one", "two", "three"]);

    // Writes and lists go to the KV as they are.
    await reads.atomic().set(["d", 4], "four").commit();
    assert.equal((await kv.get(["d", 4])).value, "four");
    const listed = [];
    for await (const e of reads.list({ prefix: ["d"] })) listed.push(e.value);
    assert.deepEqual(listed, ["four"]);
  } finally {
    rec.restore();
    kv.close();
  }
});

Deno.test("coalesced reads: a bad key fails only its own call, not the others of its turn", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(["a", 1], "one");
    const reads = coalescedReads(kv);
    const [good, bad, alsoGood] = await Promise.allSettled([
      reads.get(["a", 1]),
      // Deno KV refuses keys over 2 KiB.
      reads.get(["k", "x".repeat(3000)]),
      reads.getMany([["a", 1], ["b"]]),
    ]);
    assert.equal(good.status === "fulfilled" && good.value.value, "one");
    assert.equal(bad.status, "rejected");
    assert.equal(alsoGood.status === "fulfilled" && alsoGood.value[0].value, "one");
  } finally {
    kv.close();
  }
});

Deno.test("coalesced reads: a send reads its client id, ban, blocks and both profiles in one call", async () => {
  // Before the server opens KV: its handles bind the methods as they are then (kv/open.ts).
  const rec = spyOnReads();
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    await login(s.url, "b");
    const sendOne = (clientId: string) =>
      api<{ message: { id: string } }>(s.url, "POST", "/api/v1/dialogs/b/messages", {
        token: a,
        json: { text: "hi", client_id: clientId },
      });
    assert.equal((await sendOne("warm-up-0001")).status, 201);
    rec.clear();
    const r = await sendOne("client-id-0002");
    assert.equal(r.status, 201);
    const k = (key: readonly unknown[]) => JSON.stringify(key);
    const before = rec.calls.find((c) => c.includes(k(keys.sendId("a", "client-id-0002"))));
    assert.ok(before, JSON.stringify(rec.calls));
    for (const key of [keys.ban("a"), keys.contact("a", "b"), keys.contact("b", "a")]) {
      assert.ok(before.includes(k(key)), `${k(key)} not in ${JSON.stringify(before)}`);
    }
    for (const key of [keys.user("a"), keys.user("b")]) {
      assert.ok(before.includes(k(key)), `${k(key)} not in ${JSON.stringify(before)}`);
    }
    // A repeated client id is still answered with the stored message, not a second one.
    const again = await sendOne("client-id-0002");
    assert.equal(again.status, 200);
    assert.equal(again.body.message.id, r.body.message.id);
  } finally {
    rec.restore();
    await s.close();
  }
});
