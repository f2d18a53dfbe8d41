/**
 * An admin made through `PUT /manage/users/:id/role` is an admin everywhere an env admin
 * (PARLEY_ADMIN_IDS) is: a block recorded against them does not stop their sends or typing, they
 * cannot be blocked, and withdrawing the role (or demoting an env admin) brings the block back.
 */
import assert from "node:assert/strict";
import { setBlock } from "../../kv/people/relations.ts";
import { api, login, send } from "../support/helpers.ts";
import { makePng } from "../support/image_fixtures.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

type Err = { error: { code: string } };

function write(base: string, token: string, peer: string, text: string) {
  return api<Err>(base, "POST", `/api/v1/dialogs/${peer}/messages`, { token, json: { text } });
}

Deno.test("an admin by API role is not stopped by a block recorded against them, and cannot be blocked", async () => {
  const s = await startManaged({ PARLEY_ADMIN_IDS: "boss" });
  try {
    const kv = s.parley.deps.kv;
    const u = await login(s.url, "u");
    const carol = await login(s.url, "carol");
    // u blocked carol while she was an ordinary user.
    assert.equal((await api(s.url, "PUT", "/api/v1/blocks/carol", { token: u })).status, 200);
    assert.equal((await write(s.url, carol, "u", "before")).body.error.code, "blocked");

    assert.equal(
      (await manage(s.url, "PUT", "/users/carol/role", { json: { role: "admin" } })).status,
      200,
    );
    // Now an admin: the old block no longer applies to sends or typing notices.
    const sent = await write(s.url, carol, "u", "moderator note");
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const typing = await api(s.url, "POST", "/api/v1/dialogs/u/typing", { token: carol });
    assert.equal(typing.status, 200, JSON.stringify(typing.body));
    // …and she cannot be blocked again, like an env admin.
    const dave = await login(s.url, "dave");
    const refused = await api<Err>(s.url, "PUT", "/api/v1/blocks/carol", { token: dave });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "cannot_block_admin");
    const viaManage = await manage<Err>(s.url, "PUT", "/users/dave/blocks/carol");
    assert.equal(viaManage.status, 403);
    assert.equal(viaManage.body.error.code, "cannot_block_admin");

    // The role withdrawn: the block u recorded applies again.
    await manage(s.url, "PUT", "/users/carol/role", { json: { role: "user" } });
    assert.equal((await write(s.url, carol, "u", "after")).body.error.code, "blocked");

    // An env admin demoted through the API is an ordinary user there too.
    const boss = await login(s.url, "boss");
    await setBlock(kv, "u", "boss", true);
    await send(s.url, boss, "u", "env admin");
    await manage(s.url, "PUT", "/users/boss/role", { json: { role: "user" } });
    assert.equal((await write(s.url, boss, "u", "demoted")).body.error.code, "blocked");
    assert.equal((await api(s.url, "PUT", "/api/v1/blocks/boss", { token: dave })).status, 200);
  } finally {
    await s.close();
  }
});

Deno.test("an API admin's send across a block checks the role inside the atomic (the largest send stays within 10 checks)", async () => {
  const s = await startManaged();
  try {
    const u = await login(s.url, "u");
    const carol = await login(s.url, "carol");
    await api(s.url, "PUT", "/api/v1/blocks/carol", { token: u });
    await manage(s.url, "PUT", "/users/carol/role", { json: { role: "admin" } });
    // The harness refuses an 11th check (tests/support/kv_limits.ts): the largest send (an
    // image, a reply, a client id, the rate limit; 8 checks today, the role instead of the
    // recipient's block record among them) passes.
    const first = await send(s.url, carol, "u", "first");
    const form = new FormData();
    form.set("reply_to", first.id);
    form.set("image", new Blob([await makePng(4, 4)], { type: "image/png" }), "a.png");
    form.set("client_id", "c-0123456789abcdef");
    const r = await api<Err>(s.url, "POST", "/api/v1/dialogs/u/messages", {
      token: carol,
      body: form,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  } finally {
    await s.close();
  }
});
