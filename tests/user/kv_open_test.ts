/**
 * How Parley opens its KV (kv/open.ts): on a local file, reads go to a second handle of the same
 * file (its own SQLite connection) and see every write that returned; `:memory:` keeps one handle
 * (a second would be another, empty store); closing closes both.
 */
import assert from "node:assert/strict";
import { closeKv, openKv, readThrough, walCheckpointer } from "../../kv/open.ts";
import { nextWait } from "../../kv/wal_checkpoint.ts";
import { removeKvFile } from "../support/helpers.ts";

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
    await removeKvFile(path);
  }
});

/** Commits `n` writes of 4 KB values: about 3n WAL pages (row, overflow, index), below SQLite's own checkpoint at 1,000 for n = 150. */
async function fill(kv: Deno.Kv, n: number) {
  const value = "x".repeat(4000);
  await Promise.all(Array.from({ length: 4 }, async (_, w) => {
    for (let i = w; i < n; i += 4) {
      assert.ok((await kv.atomic().set(["fill", i], value).commit()).ok);
    }
  }));
}

Deno.test("kv open: a local file's WAL is checkpointed off the KV's writer while it writes, and nothing is lost", async () => {
  const path = await Deno.makeTempFile({ prefix: "parley-wal-", suffix: ".sqlite" });
  const kv = await openKv(path);
  try {
    const cp = walCheckpointer(kv);
    assert.ok(cp, "no checkpointer on a local file");
    const before = (await Deno.stat(path)).size;
    await fill(kv, 150);
    // The frames reach the database file long before SQLite's own checkpoint would come due
    // (1,000 pages): the file grew by about what was written, while the KV was open.
    const deadline = Date.now() + 5000;
    while ((await Deno.stat(path)).size - before < 150 * 4000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(
      (await Deno.stat(path)).size - before >= 150 * 4000,
      `the file grew by ${(await Deno.stat(path)).size - before}`,
    );
    assert.ok(cp.stats.rounds > 0 && cp.stats.checkpointed > 0, JSON.stringify(cp.stats));
    const got = await Array.fromAsync(kv.list<string>({ prefix: ["fill"] }));
    assert.equal(got.length, 150);
    assert.ok(got.every((e) => e.value.length === 4000));
  } finally {
    kv.close();
  }
  // Closed with the KV; a new open sees everything.
  assert.equal(walCheckpointer(kv), undefined);
  const again = await openKv(path);
  try {
    assert.equal((await Array.fromAsync(again.list({ prefix: ["fill"] }))).length, 150);
  } finally {
    again.close();
    await removeKvFile(path);
  }
});

Deno.test("kv open: PARLEY_WAL_CHECKPOINT=0 leaves the checkpoints to SQLite; :memory: has none", async () => {
  const path = await Deno.makeTempFile({ prefix: "parley-wal-", suffix: ".sqlite" });
  Deno.env.set("PARLEY_WAL_CHECKPOINT", "0");
  const kv = await openKv(path);
  try {
    assert.equal(walCheckpointer(kv), undefined);
    const before = (await Deno.stat(path)).size;
    await fill(kv, 150);
    await new Promise((r) => setTimeout(r, 200));
    // Nothing copied the frames back yet: the database file is as it was.
    assert.ok((await Deno.stat(path)).size - before < 150 * 4000);
  } finally {
    Deno.env.delete("PARLEY_WAL_CHECKPOINT");
    kv.close();
    await removeKvFile(path);
  }
  const memory = await openKv(":memory:");
  assert.equal(walCheckpointer(memory), undefined);
  memory.close();
});

Deno.test("kv open: the WAL checkpointer paces itself to about 250 new frames a round", () => {
  const pace = { frames: 250, minMs: 2, idleMs: 1000 };
  // 250 frames in 10 ms: back in 10 ms; 25 frames in 100 ms: in a second; a flood: at the floor.
  assert.equal(nextWait(250, 10, pace, 5), 10);
  assert.equal(nextWait(25, 100, pace, 5), 1000);
  assert.equal(nextWait(5000, 1, pace, 5), 2);
  // Nothing new: the pause doubles up to the idle second.
  assert.equal(nextWait(0, 10, pace, 40), 80);
  assert.equal(nextWait(0, 10, pace, 800), 1000);
});

Deno.test("kv open: after closeKv nothing touches the file (the checkpointer's connection closed first)", async () => {
  // A plain close() cannot wait for the worker, whose connection, closing last, folds the WAL
  // into the file afterwards: a backup taken right after a server stopped saw it change.
  for (let round = 0; round < 3; round++) {
    const path = await Deno.makeTempFile({ prefix: "parley-close-", suffix: ".sqlite" });
    const kv = await openKv(path);
    try {
      await fill(kv, 50);
    } finally {
      await closeKv(kv);
    }
    const look = async () => {
      const wal = await Deno.stat(path + "-wal").then((s) => s.size, () => -1);
      return [await Deno.readFile(path), wal] as const;
    };
    const closed = await look();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await look(), closed, `the file changed after closeKv (round ${round})`);
    await removeKvFile(path);
  }
});
