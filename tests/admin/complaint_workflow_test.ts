/** The complaints workflow over real HTTP: filters, claim/assign, resolve and ban, bulk, conflicts. */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { CLOSE_CHUNK, closeComplaints } from "../../kv/moderation/complaint_workflow.ts";
import { queryComplaints } from "../../kv/moderation/complaint_query.ts";
import { dyingKv } from "../support/dying_kv.ts";
import { api, login, send, SseClient, startServer } from "../support/helpers.ts";

const ENV = { PARLEY_ADMIN_IDS: "boss", PARLEY_MODERATOR_IDS: "mod,mod2" };
type Err = { error: { code: string; field?: string } };
type C = {
  id: string;
  status: string;
  assignee: { user_id: string; by: string; at: string } | null;
};

async function complaints(
  kv: Deno.Kv,
  n: number,
  reporter = (i: number) => `r${i}`,
  target = "bad",
) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await createComplaint(kv, {
        reporter: reporter(i),
        target,
        message_id: null,
        reason: "spam",
        text: `c${i}`,
      }),
    );
  }
  return out;
}

Deno.test("complaints filter by user (reporter or accused), date range and status, and page", async () => {
  const s = await startServer(ENV);
  try {
    const kv = s.parley.deps.kv;
    const boss = await login(s.url, "boss");
    const [c1] = await complaints(kv, 1, () => "ann", "bad");
    const mid = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const [c2] = await complaints(kv, 1, () => "bob", "bad");
    const [c3] = await complaints(kv, 1, () => "bad", "ann");
    const get = (q: string) =>
      api<{ complaints: C[]; next_cursor: string | null }>(
        s.url,
        "GET",
        `/api/v1/admin/complaints?${q}`,
        { token: boss },
      );
    assert.deepEqual((await get("status=all&user=ann")).body.complaints.map((c) => c.id), [
      c3.id,
      c1.id,
    ]);
    assert.deepEqual((await get("status=all&user=bob")).body.complaints.map((c) => c.id), [c2.id]);
    assert.deepEqual((await get(`status=all&to=${mid}`)).body.complaints.map((c) => c.id), [c1.id]);
    assert.deepEqual(
      (await get(`status=open&from=${mid}&user=bad`)).body.complaints.map((c) => c.id),
      [c3.id, c2.id],
    );
    const p1 = await get("status=all&user=bad&limit=2");
    assert.deepEqual(p1.body.complaints.map((c) => c.id), [c3.id, c2.id]);
    const p2 = await get(`status=all&user=bad&limit=2&cursor=${p1.body.next_cursor}`);
    assert.deepEqual(p2.body.complaints.map((c) => c.id), [c1.id]);
    assert.equal(p2.body.next_cursor, null);
    const bad = await api<Err>(s.url, "GET", `/api/v1/admin/complaints?from=${mid}&to=${mid - 1}`, {
      token: boss,
    });
    assert.deepEqual([bad.status, bad.body.error.code], [400, "invalid_range"]);
  } finally {
    await s.close();
  }
});

Deno.test("claiming and assigning a complaint is shown to colleagues live, audited, and only to staff", async () => {
  const s = await startServer(ENV);
  try {
    const kv = s.parley.deps.kv;
    const mod = await login(s.url, "mod");
    const mod2 = await login(s.url, "mod2");
    const [c] = await complaints(kv, 1);
    const colleague = await SseClient.open(s.url, mod2, { path: "/api/v1/admin/events" });
    try {
      await colleague.waitFor((e) => e.event === "ready");
      const claim = await api<{ complaint: C; audit: { action: string } }>(
        s.url,
        "PUT",
        `/api/v1/admin/complaints/${c.id}/assignee`,
        {
          token: mod,
          json: { user_id: "mod" },
        },
      );
      assert.equal(claim.status, 200);
      assert.deepEqual(claim.body.complaint.assignee, {
        user_id: "mod",
        by: "mod",
        at: claim.body.complaint.assignee!.at,
      });
      assert.equal(claim.body.audit.action, "complaint.claim");
      const seen = await colleague.waitFor((e) => e.event === "complaint_updated");
      assert.equal((seen.data as C).assignee?.user_id, "mod");
      const handOver = await api<{ audit: { action: string } }>(
        s.url,
        "PUT",
        `/api/v1/admin/complaints/${c.id}/assignee`,
        {
          token: mod,
          json: { user_id: "mod2" },
        },
      );
      assert.equal(handOver.body.audit.action, "complaint.assign");
      const notStaff = await api<Err>(s.url, "PUT", `/api/v1/admin/complaints/${c.id}/assignee`, {
        token: mod,
        json: { user_id: "someone" },
      });
      assert.deepEqual([notStaff.status, notStaff.body.error.code], [400, "not_staff"]);
      const release = await api<{ complaint: C; audit: { action: string } }>(
        s.url,
        "PUT",
        `/api/v1/admin/complaints/${c.id}/assignee`,
        {
          token: mod2,
          json: { user_id: null },
        },
      );
      assert.deepEqual([release.body.complaint.assignee, release.body.audit.action], [
        null,
        "complaint.release",
      ]);
    } finally {
      await colleague.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("resolve and ban in one step; a colleague's earlier decision answers 409 complaint_closed and changes nothing", async () => {
  const s = await startServer(ENV);
  try {
    const kv = s.parley.deps.kv;
    const mod = await login(s.url, "mod");
    const mod2 = await login(s.url, "mod2");
    const bad = await login(s.url, "bad");
    await send(s.url, bad, "r0", "spam spam");
    const [c, other] = await complaints(kv, 2);
    const r = await api<
      { complaint: C; ban: { until: string | null }; ban_audit: { action: string } }
    >(
      s.url,
      "POST",
      `/api/v1/admin/complaints/${c.id}/resolve`,
      { token: mod, json: { note: "spammer", ban: { duration: 86400, reason: "spam" } } },
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.complaint.status, "resolved");
    assert.ok(r.body.ban.until);
    assert.equal(r.body.ban_audit.action, "user.ban");
    const refused = await api<Err>(s.url, "POST", "/api/v1/dialogs/r0/messages", {
      token: bad,
      json: { text: "x" },
    });
    assert.equal(refused.body.error.code, "banned");
    // mod2 had the page open with a note typed; mod decided first.
    const late = await api<Err>(s.url, "POST", `/api/v1/admin/complaints/${c.id}/dismiss`, {
      token: mod2,
      json: { note: "my note" },
    });
    assert.deepEqual([late.status, late.body.error.code], [409, "complaint_closed"]);
    const stored = await api<{ complaint: { status: string; note: string; handled_by: string } }>(
      s.url,
      "GET",
      `/api/v1/admin/complaints/${c.id}`,
      { token: mod2 },
    );
    assert.deepEqual([
      stored.body.complaint.status,
      stored.body.complaint.note,
      stored.body.complaint.handled_by,
    ], ["resolved", "spammer", "mod"]);
    // "resolve and ban" of a complaint about staff is refused before anything is written.
    const [aboutStaff] = await complaints(kv, 1, () => "x", "mod2");
    const staff = await api<Err>(
      s.url,
      "POST",
      `/api/v1/admin/complaints/${aboutStaff.id}/resolve`,
      {
        token: mod,
        json: { ban: {} },
      },
    );
    assert.deepEqual([staff.status, staff.body.error.code], [403, "cannot_ban_admin"]);
    const still = await api<{ complaint: { status: string } }>(
      s.url,
      "GET",
      `/api/v1/admin/complaints/${other.id}`,
      { token: mod },
    );
    assert.equal(still.body.complaint.status, "open");
  } finally {
    await s.close();
  }
});

Deno.test("bulk resolve closes many complaints in chunks of ten and reports closed and skipped ids", async () => {
  const s = await startServer(ENV);
  try {
    const kv = s.parley.deps.kv;
    const mod = await login(s.url, "mod");
    const list = await complaints(kv, CLOSE_CHUNK * 2 + 5);
    const ids = list.map((c) => c.id);
    // One was dismissed by a colleague already; one id is unknown.
    await api(s.url, "POST", `/api/v1/admin/complaints/${ids[3]}/dismiss`, { token: mod });
    const unknown = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    const r = await api<
      {
        closed: string[];
        skipped: { id: string; code: string; status?: string }[];
        failed: unknown[];
        partial: boolean;
      }
    >(
      s.url,
      "POST",
      "/api/v1/admin/complaints/bulk",
      { token: mod, json: { action: "resolve", ids: [...ids, unknown], note: "bulk" } },
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.closed.length, ids.length - 1);
    assert.deepEqual(r.body.skipped, [
      { id: ids[3], code: "complaint_closed", status: "dismissed" },
      { id: unknown, code: "not_found" },
    ]);
    assert.deepEqual(r.body.failed, []);
    assert.equal(r.body.partial, true);
    const open = await api<{ complaints: unknown[]; open_count: number }>(
      s.url,
      "GET",
      "/api/v1/admin/complaints?status=open",
      { token: mod },
    );
    assert.deepEqual([open.body.complaints.length, open.body.open_count], [0, 0]);
    for (
      const [json, code] of [
        [{ action: "ban", ids }, "invalid_action"],
        [{ action: "dismiss", ids: [] }, "invalid_ids"],
        [{ action: "dismiss", ids: ["nope"] }, "invalid_ids"],
        [{ action: "dismiss", ids: Array(201).fill(ids[0]) }, "invalid_ids"],
      ] as const
    ) {
      const bad = await api<Err>(s.url, "POST", "/api/v1/admin/complaints/bulk", {
        token: mod,
        json,
      });
      assert.deepEqual([bad.status, bad.body.error.code], [400, code]);
    }
  } finally {
    await s.close();
  }
});

Deno.test("a bulk close whose later chunk cannot commit reports those ids as failed and leaves them open", async () => {
  const s = await startServer(ENV);
  try {
    const kv = s.parley.deps.kv;
    const list = await complaints(kv, CLOSE_CHUNK + 5);
    const ids = list.map((c) => c.id);
    // The store fails from the second commit on: the first chunk lands, the second does not.
    const out = await closeComplaints(dyingKv(kv, 2), ids, "dismissed", "", "mod");
    assert.deepEqual(out.closed.map((c) => c.id), ids.slice(0, CLOSE_CHUNK));
    assert.deepEqual(
      out.failed,
      ids.slice(CLOSE_CHUNK).map((id) => ({ id, code: "not_committed" })),
    );
    const open = await queryComplaints(kv, { status: "open" });
    assert.deepEqual(open.complaints.map((c) => c.id).sort(), ids.slice(CLOSE_CHUNK).sort());
  } finally {
    await s.close();
  }
});
