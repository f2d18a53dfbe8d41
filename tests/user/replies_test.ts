/** Replies over real HTTP: the quote stored at send time, only within the dialog, "deleted" later. */
import assert from "node:assert/strict";
import { api, login, send, SseClient, startServer } from "../support/helpers.ts";

type Quote = { id: string; from: string; text: string; has_attachment?: true; deleted?: true };
type Msg = { id: string; text: string; reply_to?: Quote };

const messages = (peer: string) => `/api/v1/dialogs/${peer}/messages`;

Deno.test("reply: the quote (id, author, snippet) is stored, sent live, listed, and seen by admins", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin", PARLEY_MASK_PHONES: "1" });
  try {
    const [alice, bob, admin] = await Promise.all(
      ["alice", "bob", "admin"].map((u) => login(s.url, u)),
    );
    const long = "call me on +7 912 345-67-89, " + "and then some more words ".repeat(10);
    const original = await send(s.url, bob, "alice", long);
    const bobStream = await SseClient.open(s.url, bob);
    try {
      await bobStream.waitFor((e) => e.event === "ready");
      const r = await api<{ message: Msg }>(s.url, "POST", messages("bob"), {
        token: alice,
        json: { text: "ok, will do", reply_to: original.id },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const q = r.body.message.reply_to!;
      assert.equal(q.id, original.id);
      assert.equal(q.from, "bob");
      // The snippet is of the text the members saw (masked), one line, at most 120 characters.
      assert.ok(q.text.startsWith("call me on ***, and then"), q.text);
      assert.ok([...q.text].length <= 120 && q.text.endsWith("…"), q.text);
      const live = await bobStream.waitFor((e) =>
        e.event === "message" && (e.data as Msg).id === r.body.message.id
      );
      assert.deepEqual((live.data as Msg).reply_to, q);
      const list = await api<{ messages: Msg[] }>(s.url, "GET", messages("alice"), { token: bob });
      assert.deepEqual(list.body.messages.at(-1)!.reply_to, q);
      const seen = await api<{ message: Msg }>(
        s.url,
        "GET",
        `/api/v1/admin/messages/${r.body.message.id}`,
        { token: admin },
      );
      assert.equal(seen.status, 200, JSON.stringify(seen.body));
      assert.deepEqual(seen.body.message.reply_to, q);
    } finally {
      await bobStream.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("reply: only to a message of the same dialog (404), a bad id is 400, nothing is stored", async () => {
  const s = await startServer();
  try {
    const [alice, bob, carol] = await Promise.all(
      ["alice", "bob", "carol"].map((u) => login(s.url, u)),
    );
    const secret = await send(s.url, bob, "carol", "bob and carol only");
    const other = await api(s.url, "POST", messages("bob"), {
      token: alice,
      json: { text: "what did you say?", reply_to: secret.id },
    });
    assert.equal(other.status, 404);
    assert.deepEqual(other.body, {
      error: {
        code: "reply_not_found",
        message: "no such message in this dialog",
        field: "reply_to",
      },
    });
    for (const bad of ["nope", 5, {}]) {
      const r = await api<{ error: { code: string; field: string } }>(
        s.url,
        "POST",
        messages("bob"),
        {
          token: alice,
          json: { text: "x", reply_to: bad },
        },
      );
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, "invalid_reply_to");
    }
    const list = await api<{ messages: Msg[] }>(s.url, "GET", messages("bob"), { token: alice });
    assert.equal(list.body.messages.length, 0);
    // Carol, a member, may quote it.
    const ok = await api(s.url, "POST", messages("bob"), {
      token: carol,
      json: { text: "I said it", reply_to: secret.id },
    });
    assert.equal(ok.status, 201);
  } finally {
    await s.close();
  }
});

Deno.test("reply: once the original is deleted, lists show the quote as deleted without its text", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const [alice, bob, admin] = await Promise.all(
      ["alice", "bob", "admin"].map((u) => login(s.url, u)),
    );
    const a = await send(s.url, bob, "alice", "a thing I regret");
    const b = await send(s.url, bob, "alice", "a moderated thing");
    for (const id of [a.id, b.id]) {
      const r = await api(s.url, "POST", messages("bob"), {
        token: alice,
        json: { text: "re", reply_to: id },
      });
      assert.equal(r.status, 201);
    }
    // One deleted by its sender, one by a moderator.
    assert.equal(
      (await api(s.url, "DELETE", `/api/v1/messages/${a.id}`, { token: bob })).status,
      200,
    );
    assert.equal(
      (await api(s.url, "DELETE", `/api/v1/admin/messages/${b.id}`, { token: admin })).status,
      200,
    );
    const list = await api<{ messages: Msg[] }>(s.url, "GET", messages("bob"), { token: alice });
    assert.deepEqual(list.body.messages.map((m) => m.reply_to), [
      { id: a.id, from: "bob", text: "", deleted: true },
      { id: b.id, from: "bob", text: "", deleted: true },
    ]);
    // Quoting a message that is gone is refused.
    const late = await api(s.url, "POST", messages("bob"), {
      token: alice,
      json: { text: "re", reply_to: a.id },
    });
    assert.equal(late.status, 404);
  } finally {
    await s.close();
  }
});
