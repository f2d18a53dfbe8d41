/** Idempotent sends: a repeated `client_id` answers with the stored message and stores nothing. */
import assert from "node:assert/strict";
import { api, login, startServer } from "../support/helpers.ts";
import { makeGif } from "../support/image_fixtures.ts";

type Msg = { id: string; text: string };
const messages = (peer: string) => `/api/v1/dialogs/${peer}/messages`;

Deno.test("send with client_id: a retry (even concurrent) is stored once and answered 200 with it", async () => {
  const s = await startServer();
  try {
    const [alice, bob] = await Promise.all(["alice", "bob"].map((u) => login(s.url, u)));
    const json = { text: "only once", client_id: "c-0f1e2d3c-4b5a" };
    const first = await api<{ message: Msg }>(s.url, "POST", messages("bob"), {
      token: alice,
      json,
    });
    assert.equal(first.status, 201);
    const again = await api<{ message: Msg }>(s.url, "POST", messages("bob"), {
      token: alice,
      json,
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.message.id, first.body.message.id);
    // Eight copies racing with a fresh id: exactly one is stored.
    const race = await Promise.all(
      Array.from({ length: 8 }, () =>
        api<{ message: Msg }>(s.url, "POST", messages("bob"), {
          token: alice,
          json: { text: "raced", client_id: "race-0123456789" },
        })),
    );
    assert.deepEqual(race.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(race.map((r) => r.body.message.id)).size, 1);
    const list = await api<{ messages: Msg[] }>(s.url, "GET", messages("alice"), { token: bob });
    assert.deepEqual(list.body.messages.map((m) => m.text), ["only once", "raced"]);
    // The same id is the caller's own: another user may use it for their own message.
    const bobs = await api(s.url, "POST", messages("alice"), { token: bob, json });
    assert.equal(bobs.status, 201);
  } finally {
    await s.close();
  }
});

Deno.test("send with client_id: bad ids are 400; an id of a deleted or other dialog's message is 409", async () => {
  const s = await startServer();
  try {
    const [alice] = await Promise.all(["alice", "bob", "carol"].map((u) => login(s.url, u)));
    for (const client_id of ["short", "has space in it", 12345678, "x".repeat(65)]) {
      const r = await api<{ error: { code: string; field: string } }>(
        s.url,
        "POST",
        messages("bob"),
        {
          token: alice,
          json: { text: "x", client_id },
        },
      );
      assert.equal(r.status, 400);
      assert.deepEqual([r.body.error.code, r.body.error.field], ["invalid_client_id", "client_id"]);
    }
    const json = { text: "to bob", client_id: "abcdefgh-1" };
    const sent = await api<{ message: Msg }>(s.url, "POST", messages("bob"), {
      token: alice,
      json,
    });
    assert.equal(sent.status, 201);
    const elsewhere = await api(s.url, "POST", messages("carol"), { token: alice, json });
    assert.equal(elsewhere.status, 409);
    const del = await api(s.url, "DELETE", `/api/v1/messages/${sent.body.message.id}`, {
      token: alice,
    });
    assert.equal(del.status, 200);
    const gone = await api<{ error: { code: string } }>(s.url, "POST", messages("bob"), {
      token: alice,
      json,
    });
    assert.equal(gone.status, 409);
    assert.equal(gone.body.error.code, "client_id_used");
  } finally {
    await s.close();
  }
});

Deno.test("send with client_id: an image with a caption, sent twice as multipart, is stored once", async () => {
  const s = await startServer();
  try {
    const [alice, bob] = await Promise.all(["alice", "bob"].map((u) => login(s.url, u)));
    const png = makeGif(4, 3);
    const form = () => {
      const f = new FormData();
      f.set("text", "the view from here");
      f.set("client_id", "img-0123456789");
      f.set("image", new File([png], "a.gif"));
      return f;
    };
    const a = await api<{ message: Msg }>(s.url, "POST", messages("bob"), {
      token: alice,
      body: form(),
    });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    const b = await api<{ message: Msg }>(s.url, "POST", messages("bob"), {
      token: alice,
      body: form(),
    });
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.equal(b.body.message.id, a.body.message.id);
    const list = await api<{ messages: Msg[] }>(s.url, "GET", messages("alice"), { token: bob });
    assert.deepEqual(list.body.messages.map((m) => m.text), ["the view from here"]);
  } finally {
    await s.close();
  }
});
