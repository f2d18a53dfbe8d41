/** Moderation over real HTTP: deleting a message everywhere, bans. */
import assert from "node:assert/strict";
import { keys, pair } from "../../kv/keys.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { ulid } from "../../services/core/ids.ts";
import { api, login, send, SseClient, startServer } from "../support/helpers.ts";

const ADMIN_ENV = { PARLEY_ADMIN_IDS: "admin" };
const ADMIN_EVENTS = { path: "/api/v1/admin/events" };

type Audit = { audit: { by: string; action: string; target: string; note: string }[] };
Deno.test("deleting a message removes it, its indexes and attachment chunks, and both widgets drop it live", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const m1 = await send(s.url, a, "b", "first");
    // An image message (chunks written the way the attachments module stores them).
    const attId = ulid();
    await kv.atomic().set(keys.attachment(attId), { id: attId, type: "image/png", chunks: 3 })
      .set([...keys.attachmentChunks(attId), 0], new Uint8Array(10))
      .set([...keys.attachmentChunks(attId), 1], new Uint8Array(10))
      .set([...keys.attachmentChunks(attId), 2], new Uint8Array(10))
      .commit();
    const m2 = await sendMessage(kv, {
      from: "a",
      to: "b",
      text: "look",
      attachment: { id: attId, type: "image/png", width: 2, height: 2, size: 30 },
    });
    const sa = await SseClient.open(s.url, a);
    const sb = await SseClient.open(s.url, b);
    const sadmin = await SseClient.open(s.url, admin, ADMIN_EVENTS);
    try {
      await sb.waitFor((e) => e.event === "ready");
      await sadmin.waitFor((e) => e.event === "ready");
      const r = await api<{ deleted: unknown }>(
        s.url,
        "DELETE",
        `/api/v1/admin/messages/${m2.id}`,
        {
          token: admin,
          json: { note: "nsfw" },
        },
      );
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.deleted, { id: m2.id, from: "a", to: "b" });

      for (const stream of [sa, sb]) {
        const ev = await stream.waitFor((e) => e.event === "message_deleted");
        assert.deepEqual(ev.data, { id: m2.id, from: "a", to: "b" });
      }
      const adminEv = await sadmin.waitFor((e) => e.event === "message_deleted");
      assert.deepEqual(adminEv.data, { id: m2.id, from: "a", to: "b", by: "admin" });

      // Nothing of it is left in KV.
      const p = pair("a", "b");
      const gone = await kv.getMany([
        keys.message(p, m2.id),
        keys.messageRef(m2.id),
        keys.adminFeed(m2.id),
        keys.adminUserMessage("a", m2.id),
        keys.adminUserMessage("b", m2.id),
        keys.adminAttachment(m2.id),
        keys.attachment(attId),
      ]);
      assert.deepEqual(gone.map((e) => e.value), [null, null, null, null, null, null, null]);
      const chunks = [];
      for await (const e of kv.list({ prefix: keys.attachmentChunks(attId) })) chunks.push(e);
      assert.equal(chunks.length, 0);

      // The dialog falls back to the previous message; b's unread count drops with it.
      const hist = await api<{ messages: { id: string }[] }>(
        s.url,
        "GET",
        "/api/v1/dialogs/a/messages",
        {
          token: b,
        },
      );
      assert.deepEqual(hist.body.messages.map((m) => m.id), [m1.id]);
      const list = await api<{ dialogs: { last_message: { id: string }; unread: number }[] }>(
        s.url,
        "GET",
        "/api/v1/dialogs",
        { token: b },
      );
      assert.equal(list.body.dialogs[0].last_message.id, m1.id);
      assert.equal(list.body.dialogs[0].unread, 1);
      const unread = await api<{ total: number }>(s.url, "GET", "/api/v1/unread", { token: b });
      assert.equal(unread.body.total, 1);
      const feed = await api<{ messages: { id: string }[] }>(
        s.url,
        "GET",
        "/api/v1/admin/messages",
        {
          token: admin,
        },
      );
      assert.deepEqual(feed.body.messages.map((m) => m.id), [m1.id]);
      const gallery = await api<{ messages: unknown[] }>(
        s.url,
        "GET",
        "/api/v1/admin/messages?attachments=1",
        { token: admin },
      );
      assert.deepEqual(gallery.body.messages, []);

      const again = await api(s.url, "DELETE", `/api/v1/admin/messages/${m2.id}`, { token: admin });
      assert.equal(again.status, 404);
      const audit = await api<Audit>(s.url, "GET", "/api/v1/admin/audit", { token: admin });
      assert.deepEqual(
        audit.body.audit.map(({ by, action, target, note }) => ({ by, action, target, note })),
        [{ by: "admin", action: "message.delete", target: m2.id, note: "nsfw" }],
      );

      // Deleting the last remaining message leaves an empty dialog with no preview.
      await api(s.url, "DELETE", `/api/v1/admin/messages/${m1.id}`, { token: admin });
      const empty = await api<{ dialogs: unknown[] }>(s.url, "GET", "/api/v1/dialogs", {
        token: a,
      });
      assert.deepEqual(empty.body.dialogs, []);
    } finally {
      await sa.close();
      await sb.close();
      await sadmin.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("a banned user can read but not send (403 banned, read-only session); unban lifts it", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const admin = await login(s.url, "admin");
    const bob = await login(s.url, "bob");
    const carol = await login(s.url, "carol");
    await send(s.url, carol, "bob", "hi bob");

    const ban = await api<{ banned: boolean; ban: { by: string; reason: string } }>(
      s.url,
      "PUT",
      "/api/v1/admin/bans/bob",
      { token: admin, json: { reason: "spam wave" } },
    );
    assert.equal(ban.status, 200);
    assert.equal(ban.body.banned, true);
    assert.equal(ban.body.ban.by, "admin");

    const refused = await api<{ error: { code: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/carol/messages",
      { token: bob, json: { text: "buy now" } },
    );
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "banned");
    const hist = await api<{ messages: { text: string }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs/carol/messages",
      { token: bob },
    );
    assert.deepEqual(hist.body.messages.map((m) => m.text), ["hi bob"]);

    type Session = { user: { read_only: boolean; banned: boolean; error: string } };
    const { userKey } = await import("../support/helpers.ts");
    const session = await api<Session>(s.url, "POST", "/api/v1/session", {
      json: { user_id: "bob", user_key: await userKey("bob") },
      headers: { "accept-language": "en-GB,en;q=0.9" },
    });
    assert.equal(session.body.user.read_only, true);
    assert.equal(session.body.user.banned, true);
    assert.match(session.body.user.error, /moderator/);
    assert.doesNotMatch(session.body.user.error, /spam wave/, "the admin's reason stays private");

    const user = await api<{ ban: { reason: string } | null }>(
      s.url,
      "GET",
      "/api/v1/admin/users/bob",
      {
        token: admin,
      },
    );
    assert.equal(user.body.ban?.reason, "spam wave");
    const bans = await api<{ bans: { user_id: string }[] }>(s.url, "GET", "/api/v1/admin/bans", {
      token: admin,
    });
    assert.deepEqual(bans.body.bans.map((b) => b.user_id), ["bob"]);

    const unban = await api<{ banned: boolean }>(s.url, "DELETE", "/api/v1/admin/bans/bob", {
      token: admin,
    });
    assert.equal(unban.body.banned, false);
    await send(s.url, bob, "carol", "sorry");
    const after = await api<Session>(s.url, "POST", "/api/v1/session", {
      json: { user_id: "bob", user_key: await userKey("bob") },
    });
    assert.equal(after.body.user.read_only, false);
    assert.equal(after.body.user.error, "");

    const self = await api<{ error: { code: string } }>(s.url, "PUT", "/api/v1/admin/bans/admin", {
      token: admin,
    });
    assert.equal(self.status, 403);
    assert.equal(self.body.error.code, "cannot_ban_admin");

    const audit = await api<Audit>(s.url, "GET", "/api/v1/admin/audit", { token: admin });
    assert.deepEqual(
      audit.body.audit.map(({ by, action, target, note }) => ({ by, action, target, note })),
      [
        { by: "admin", action: "user.unban", target: "bob", note: "" },
        { by: "admin", action: "user.ban", target: "bob", note: "spam wave" },
      ],
    );
  } finally {
    await s.close();
  }
});
