import assert from "node:assert/strict";
import { createComplaint } from "../kv/complaints.ts";
import { keys, pair } from "../kv/keys.ts";
import { sendMessage } from "../kv/messages.ts";
import { ulid } from "../services/ids.ts";
import { api, login, send, SseClient, startServer } from "./helpers.ts";

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
    await kv.atomic().set(keys.attachmentMeta(attId), { id: attId, type: "image/png", chunks: 3 })
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
        keys.attachmentMeta(attId),
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
    const { userKey } = await import("./helpers.ts");
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

Deno.test("the admin stream carries every user's messages with moderator fields, and replays", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const x = await login(s.url, "x");
    const stream = await SseClient.open(s.url, admin, ADMIN_EVENTS);
    let lastId: string;
    try {
      const ready = await stream.waitFor((e) => e.event === "ready");
      assert.deepEqual(ready.data, { log: "admin", cursor: 0 });
      await send(s.url, x, "y", "one");
      await sendMessage(kv, {
        from: "p",
        to: "q",
        text: "call me at [phone]",
        extra: { original_text: "call me at +7 912 345-67-89", masked: true },
      });
      const msgs = await stream.waitCount("message", 2);
      type M = { from: string; text: string; original_text?: string };
      assert.deepEqual(msgs.map((e) => (e.data as M).from), ["x", "p"]);
      assert.equal((msgs[1].data as M).original_text, "call me at +7 912 345-67-89");
      await createComplaint(kv, {
        reporter: "q",
        user_id: "p",
        reason: "scam",
        text: "asks money",
      });
      const complaint = await stream.waitFor((e) => e.event === "complaint");
      assert.equal((complaint.data as { reason: string }).reason, "scam");
      lastId = msgs[0].id!;
    } finally {
      await stream.close();
    }
    // Reconnecting after the first message replays the rest, in order, once.
    const again = await SseClient.open(s.url, admin, { ...ADMIN_EVENTS, lastEventId: lastId });
    try {
      await again.waitFor((e) => e.event === "complaint");
      assert.deepEqual(
        again.events.filter((e) => e.event !== "ready").map((e) => e.event),
        ["message", "complaint"],
      );
    } finally {
      await again.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("complaints queue: paged by status, shown with context, resolved or dismissed once", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const texts = ["c1", "c2", "bad", "c4", "c5"];
    const sent = [];
    for (const t of texts) sent.push(await sendMessage(kv, { from: "mal", to: "vic", text: t }));
    const reported = sent[2];
    const c1 = await createComplaint(kv, {
      reporter: "vic",
      user_id: "mal",
      message_id: reported.id,
      reason: "abuse",
      text: "insults",
    });
    const c2 = await createComplaint(kv, { reporter: "vic", user_id: "other", reason: "spam" });
    const c3 = await createComplaint(kv, { reporter: "zoe", user_id: "mal", reason: "other" });

    type List = {
      complaints: { id: string; status: string }[];
      next_cursor: string | null;
      open_count: number;
    };
    const p1 = await api<List>(s.url, "GET", "/api/v1/admin/complaints?limit=2", { token: admin });
    assert.equal(p1.body.open_count, 3);
    assert.deepEqual(p1.body.complaints.map((c) => c.id), [c3!.id, c2!.id]);
    const p2 = await api<List>(
      s.url,
      "GET",
      `/api/v1/admin/complaints?limit=2&cursor=${p1.body.next_cursor}`,
      { token: admin },
    );
    assert.deepEqual(p2.body.complaints.map((c) => c.id), [c1!.id]);
    assert.equal(p2.body.next_cursor, null);

    type Detail = {
      complaint: { reporter: string; user_id: string; reason: string; text: string };
      message: { id: string };
      context: { text: string }[];
      users: Record<string, unknown>;
    };
    const d = await api<Detail>(s.url, "GET", `/api/v1/admin/complaints/${c1!.id}?around=2`, {
      token: admin,
    });
    assert.equal(d.status, 200);
    assert.equal(d.body.complaint.text, "insults");
    assert.equal(d.body.message.id, reported.id);
    assert.deepEqual(d.body.context.map((m) => m.text), ["c1", "c2", "bad", "c4", "c5"]);
    assert.deepEqual(Object.keys(d.body.users).sort(), ["mal", "vic"]);

    const res = await api<{ complaint: { status: string; note: string; handled_by: string } }>(
      s.url,
      "POST",
      `/api/v1/admin/complaints/${c1!.id}/resolve`,
      { token: admin, json: { note: "warned the user" } },
    );
    assert.equal(res.status, 200);
    const { status, note, handled_by } = res.body.complaint;
    assert.deepEqual({ status, note, handled_by }, {
      status: "resolved",
      note: "warned the user",
      handled_by: "admin",
    });
    const twice = await api<{ error: { code: string } }>(
      s.url,
      "POST",
      `/api/v1/admin/complaints/${c1!.id}/dismiss`,
      { token: admin },
    );
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, "complaint_closed");
    await api(s.url, "POST", `/api/v1/admin/complaints/${c2!.id}/dismiss`, { token: admin });

    const open = await api<List>(s.url, "GET", "/api/v1/admin/complaints", { token: admin });
    assert.deepEqual(open.body.complaints.map((c) => c.id), [c3!.id]);
    assert.equal(open.body.open_count, 1);
    const resolved = await api<List>(s.url, "GET", "/api/v1/admin/complaints?status=resolved", {
      token: admin,
    });
    assert.deepEqual(resolved.body.complaints.map((c) => c.id), [c1!.id]);
    const every = await api<List>(s.url, "GET", "/api/v1/admin/complaints?status=all", {
      token: admin,
    });
    assert.deepEqual(every.body.complaints.map((c) => c.status), ["open", "dismissed", "resolved"]);

    // After the reported message is deleted, the complaint still shows what was reported.
    await api(s.url, "DELETE", `/api/v1/admin/messages/${reported.id}`, { token: admin });
    const later = await api<Detail & { message_deleted: boolean; message: { text: string } }>(
      s.url,
      "GET",
      `/api/v1/admin/complaints/${c1!.id}`,
      { token: admin },
    );
    assert.equal(later.body.message_deleted, true);
    assert.equal(later.body.message.text, "bad");

    const audit = await api<Audit>(s.url, "GET", "/api/v1/admin/audit", { token: admin });
    assert.deepEqual(audit.body.audit.map((r) => [r.action, r.target]), [
      ["message.delete", reported.id],
      ["complaint.dismiss", c2!.id],
      ["complaint.resolve", c1!.id],
    ]);
    const bad = await api(s.url, "GET", "/api/v1/admin/complaints?status=closed", { token: admin });
    assert.equal(bad.status, 400);
  } finally {
    await s.close();
  }
});
