/**
 * How Parley opens its KV (kv/open.ts): on a local file, reads go to a second handle of the same
 * file (its own SQLite connection) and see every write that returned; `:memory:` keeps one handle
 * (a second would be another, empty store); closing closes both.
 */
import assert from "node:assert/strict";
import { openKv, readThrough } from "../../kv/open.ts";

Deno.test("kv open: reads go to the reader handle, and closing closes it too", async () => {
  const writer = await Deno.openKv(":memory:");
  const reader = await Deno.openKv(":memory:");
  await reader.set(["only", "reader"], 1);
  const kv = readThrough(writer, reader);
  await kv.set(["only", "writer"], 2);
  assert.equal((await kv.get(["only", "reader"])).value, 1);
  assert.equal((await kv.get(["only", "writer"])).value, null);
  assert.deepEqual((await kv.getMany([["only", "reader"]])).map((e) => e.value), [1]);
  assert.equal((await Array.fromAsync(kv.list({ prefix: ["only"] }))).length, 1);
  kv.close();
  await assert.rejects(() => reader.get(["only", "reader"]));
});

Deno.test("kv open: on a file every read sees the writes that returned before it; :memory: is one store", async () => {
  const path = await Deno.makeTempFile({ prefix: "parley-open-", suffix: ".sqlite" });
  const kv = await openKv(path);
  try {
    // Concurrent writers, each reading its own write back at once through the other connection.
    await Promise.all(Array.from({ length: 20 }, async (_, w) => {
      for (let i = 0; i < 25; i++) {
        const res = await kv.atomic().set(["rw", w], i).commit();
        assert.ok(res.ok);
        const got = await kv.get<number>(["rw", w]);
        assert.equal(got.value, i);
        assert.equal(got.versionstamp, res.versionstamp);
      }
    }));
    const memory = await openKv(":memory:");
    await memory.set(["m"], 1);
    assert.equal((await memory.get(["m"])).value, 1);
    memory.close();
  } finally {
    kv.close();
    for (const ext of ["", "-wal", "-shm"]) await Deno.remove(path + ext).catch(() => {});
  }
});
