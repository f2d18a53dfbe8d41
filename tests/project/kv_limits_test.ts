/**
 * KV's limits, at and past them: getMany of more than 10 keys, atomics of many users (checks),
 * the largest image (mutations and bytes). The harness enforces 10 checks per atomic in every
 * test (tests/support/kv_limits.ts); these tests drive the code paths whose size grows with data.
 */
import assert from "node:assert/strict";
import { MAX_IMAGE_BYTES } from "../../kv/media/attachments.ts";
import { keys } from "../../kv/keys.ts";
import { publish } from "../../kv/messaging/events.ts";
import { api, login, send } from "../support/helpers.ts";
import { concat, makePng } from "../support/image_fixtures.ts";
import { MAX_CHECKS } from "../support/kv_limits.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

Deno.test("kv limits: the harness refuses an 11th check, as KV Connect does", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const op = kv.atomic();
    for (let i = 0; i < MAX_CHECKS; i++) op.check({ key: ["k", i], versionstamp: null });
    assert.throws(() => op.check({ key: ["k", 99], versionstamp: null }), /Too many checks/);
  } finally {
    kv.close();
  }
});

for (const n of [10, 11, 25]) {
  Deno.test(`kv limits: admin user search with ${n} matching users`, async () => {
    const s = await startManaged({ PARLEY_ADMIN_IDS: "boss" });
    try {
      const zz = await login(s.url, "zz");
      for (let i = 0; i < n; i++) await send(s.url, zz, `u${String(i).padStart(2, "0")}`, "hi");
      const boss = await login(s.url, "boss");
      const r = await api<{ users: { user: { user_id: string }; banned: boolean }[] }>(
        s.url,
        "GET",
        "/api/v1/admin/users?q=u&limit=100",
        { token: boss },
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.users.map((u) => u.user.user_id).sort(),
        [...Array(n).keys()].map((i) => `u${String(i).padStart(2, "0")}`),
      );
    } finally {
      await s.close();
    }
  });
}

Deno.test("kv limits: events for 25 users are published in atomics of at most 10", async () => {
  const s = await startManaged();
  try {
    const kv = s.parley.deps.kv;
    const users = Array.from({ length: 25 }, (_, i) => `p${i}`);
    const committed: string[][] = [];
    await publish(kv, users.map((uid) => ({ uid, type: "reset", data: {} })), (u) => {
      committed.push(u);
    });
    assert.deepEqual(committed.map((c) => c.length), [10, 10, 5]);
    for (const uid of users) assert.equal((await kv.get(keys.eventSeq(uid))).value, 1);
  } finally {
    await s.close();
  }
});

Deno.test("kv limits: deleting a user with 25 dialogs, and a message with a 5 MB image", async () => {
  const s = await startManaged({ PARLEY_ADMIN_IDS: "boss" });
  try {
    const kv = s.parley.deps.kv;
    const hub = await login(s.url, "hub");
    for (let i = 0; i < 25; i++) await send(s.url, await login(s.url, `q${i}`), "hub", "hello");
    // The largest image there is: 86 parts in one message.
    const form = new FormData();
    const big = concat(await makePng(10, 10), new Uint8Array(MAX_IMAGE_BYTES - 200));
    form.set("image", new File([big], "big.png", { type: "image/png" }));
    const sent = await api<{ message: { id: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/q0/messages",
      { token: hub, body: form },
    );
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const boss = await login(s.url, "boss");
    const del = await api(s.url, "DELETE", `/api/v1/admin/messages/${sent.body.message.id}`, {
      token: boss,
    });
    assert.equal(del.status, 200);
    let chunks = 0;
    for await (const _ of kv.list({ prefix: ["att_chunk"] })) chunks++;
    assert.equal(chunks, 0);

    const erased = await manage<{ deleted: boolean }>(s.url, "DELETE", "/users/hub");
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    for (let i = 0; i < 25; i++) {
      assert.equal((await kv.get(keys.dialog(`q${i}`, "hub"))).value, null);
    }
  } finally {
    await s.close();
  }
});
