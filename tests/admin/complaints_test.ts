/** The admin event stream and the complaints queue over real HTTP. */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, send, SseClient, startServer } from "../support/helpers.ts";

const ADMIN_ENV = { PARLEY_ADMIN_IDS: "admin" };
const ADMIN_EVENTS = { path: "/api/v1/admin/events" };

type Audit = { audit: { by: string; action: string; target: string; note: string }[] };
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
        message_id: null,
        reporter: "q",
        target: "p",
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
      target: "mal",
      message_id: reported.id,
      reason: "abuse",
      text: "insults",
    });
    const c2 = await createComplaint(kv, {
      message_id: null,
      reporter: "vic",
      target: "other",
      text: "",
      reason: "spam",
    });
    const c3 = await createComplaint(kv, {
      message_id: null,
      reporter: "zoe",
      target: "mal",
      text: "",
      reason: "other",
    });

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
