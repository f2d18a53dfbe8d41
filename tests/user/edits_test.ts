/** Editing and deleting one's own message over real HTTP: shapes, live events, admins, limits. */
import assert from "node:assert/strict";
import { api, login, send, SseClient, startServer } from "../support/helpers.ts";

type Msg = { id: string; from: string; to: string; text: string; edited_at?: string };

Deno.test("edit: 200 {message} with edited_at; the peer and the monitor see it live", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin", PARLEY_MASK_PHONES: "1" });
  try {
    const [alice, bob, admin] = await Promise.all(
      ["alice", "bob", "admin"].map((u) => login(s.url, u)),
    );
    const bobStream = await SseClient.open(s.url, bob);
    const monitor = await SseClient.open(s.url, admin, { path: "/api/v1/admin/events" });
    try {
      await bobStream.waitFor((e) => e.event === "ready");
      await monitor.waitFor((e) => e.event === "ready");
      const id = (await send(s.url, alice, "bob", "see you at 5")).id;
      const r = await api<{ message: Msg }>(s.url, "PATCH", `/api/v1/messages/${id}`, {
        token: alice,
        json: { text: "  see you at 6, call +7 912 345-67-89 " },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const m = r.body.message;
      assert.equal(m.id, id);
      assert.equal(m.text, "see you at 6, call ***");
      assert.ok(m.edited_at && Date.parse(m.edited_at) > 0);
      assert.deepEqual(Object.keys(m).sort(), [
        "created_at",
        "edited_at",
        "from",
        "id",
        "read_at",
        "text",
        "to",
      ]);
      const live = await bobStream.waitFor((e) => e.event === "message_edited");
      assert.deepEqual(live.data, { message: m });
      // The monitor: the edited mark, the unmasked text and the original.
      const seen = await monitor.waitFor((e) => e.event === "message_edited");
      const stored = (seen.data as {
        message: Msg & { original_text: string; edit_history: { text: string }[] };
      }).message;
      assert.equal(stored.edited_at, m.edited_at);
      assert.equal(stored.original_text, "see you at 6, call +7 912 345-67-89");
      assert.deepEqual(stored.edit_history.map((h) => h.text), ["see you at 5"]);
      // History and the dialog list show the new text.
      const h = await api<{ messages: Msg[] }>(s.url, "GET", "/api/v1/dialogs/alice/messages", {
        token: bob,
      });
      assert.deepEqual([h.body.messages[0].text, h.body.messages[0].edited_at], [
        m.text,
        m.edited_at,
      ]);
      const list = await api<{ dialogs: { last_message: { text: string } }[] }>(
        s.url,
        "GET",
        "/api/v1/dialogs",
        { token: bob },
      );
      assert.equal(list.body.dialogs[0].last_message.text, m.text);
    } finally {
      await bobStream.close();
      await monitor.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("edit and delete refused: someone else's 403, past the window 409, bad input 4xx", async () => {
  const s = await startServer();
  const closed = await startServer({ PARLEY_EDIT_WINDOW_SECONDS: "0" });
  try {
    const alice = await login(s.url, "alice");
    const bob = await login(s.url, "bob");
    const carol = await login(s.url, "carol");
    const id = (await send(s.url, alice, "bob", "mine")).id;
    for (const method of ["PATCH", "DELETE"]) {
      const json = method === "PATCH" ? { text: "theirs now" } : undefined;
      const other = await api(s.url, method, `/api/v1/messages/${id}`, { token: bob, json });
      assert.equal(other.status, 403);
      assert.deepEqual(other.body, {
        error: { code: "not_your_message", message: "only the sender can change a message" },
      });
      // Not a member of the dialog: as if it did not exist.
      const stranger = await api(s.url, method, `/api/v1/messages/${id}`, { token: carol, json });
      assert.equal(stranger.status, 404);
      const bad = await api(s.url, method, `/api/v1/messages/nope`, { token: alice, json });
      assert.equal(bad.status, 404);
    }
    const empty = await api(s.url, "PATCH", `/api/v1/messages/${id}`, {
      token: alice,
      json: { text: "  " },
    });
    assert.equal(empty.status, 400);
    assert.equal((empty.body as { error: { code: string } }).error.code, "empty_text");

    const a2 = await login(closed.url, "alice");
    const late = (await send(closed.url, a2, "bob", "too late to change")).id;
    for (const method of ["PATCH", "DELETE"]) {
      const r = await api(closed.url, method, `/api/v1/messages/${late}`, {
        token: a2,
        json: method === "PATCH" ? { text: "changed" } : undefined,
      });
      assert.equal(r.status, 409);
      assert.deepEqual(r.body, {
        error: {
          code: "edit_window_passed",
          message: "messages can be changed for 0 s after sending",
          field: "id",
        },
      });
    }
  } finally {
    await s.close();
    await closed.close();
  }
});

Deno.test("delete own: 200, gone for both, the peer's stream gets message_deleted {id}", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const alice = await login(s.url, "alice");
    const bob = await login(s.url, "bob");
    const admin = await login(s.url, "admin");
    const keep = (await send(s.url, alice, "bob", "stays")).id;
    const bobStream = await SseClient.open(s.url, bob);
    try {
      await bobStream.waitFor((e) => e.event === "ready");
      const id = (await send(s.url, alice, "bob", "oops, wrong chat")).id;
      const r = await api(s.url, "DELETE", `/api/v1/messages/${id}`, { token: alice });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { deleted: { id, from: "alice", to: "bob" } });
      const live = await bobStream.waitFor((e) => e.event === "message_deleted");
      assert.equal((live.data as { id: string }).id, id);
      const h = await api<{ messages: Msg[] }>(s.url, "GET", "/api/v1/dialogs/alice/messages", {
        token: bob,
      });
      assert.deepEqual(h.body.messages.map((m) => m.id), [keep]);
      const unread = await api<{ by_user: Record<string, number> }>(
        s.url,
        "GET",
        "/api/v1/unread",
        {
          token: bob,
        },
      );
      assert.deepEqual(unread.body.by_user, { alice: 1 });
      const again = await api(s.url, "DELETE", `/api/v1/messages/${id}`, { token: alice });
      assert.equal(again.status, 404);
      // Admins see who deleted what in the audit log, with the text.
      const audit = await api<
        { audit: { by: string; action: string; details: { text: string } }[] }
      >(
        s.url,
        "GET",
        "/api/v1/admin/audit",
        { token: admin },
      );
      const row = audit.body.audit.find((a) => a.action === "message.delete_own")!;
      assert.deepEqual([row.by, row.details.text], ["alice", "oops, wrong chat"]);
    } finally {
      await bobStream.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("a widget on another origin may PATCH and DELETE (CORS preflight)", async () => {
  const s = await startServer();
  try {
    const r = await fetch(`${s.url}/api/v1/messages/x`, {
      method: "OPTIONS",
      headers: { origin: "https://host.example", "access-control-request-method": "PATCH" },
    });
    await r.body?.cancel();
    const allowed = r.headers.get("access-control-allow-methods") ?? "";
    assert.ok(["PATCH", "DELETE"].every((m) => allowed.includes(m)), allowed);
  } finally {
    await s.close();
  }
});
