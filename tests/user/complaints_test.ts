import assert from "node:assert/strict";
import {
  getComplaint,
  listComplaints,
  setComplaintStatus,
} from "../../kv/moderation/complaints.ts";
import { api, login, send, startServer } from "../support/helpers.ts";

type Err = { error: { code: string; field?: string } };
type Out = { complaint: { id: string; user_id: string; message_id: string | null } } & Err;

function complain(base: string, token: string, json: unknown) {
  return api<Out>(base, "POST", "/api/v1/complaints", { token, json });
}

Deno.test("complaints: a report keeps the message and its neighbours; duplicates are refused", async () => {
  const s = await startServer();
  try {
    const alice = await login(s.url, "alice");
    const bob = await login(s.url, "bob");
    const ids: string[] = [];
    for (let i = 1; i <= 9; i++) {
      ids.push((await send(s.url, i % 2 ? bob : alice, i % 2 ? "alice" : "bob", `m${i}`)).id);
    }
    const reported = ids[4]; // m5, from bob
    const r = await complain(s.url, alice, {
      user_id: "bob",
      message_id: reported,
      reason: "abuse",
      text: "  Он мне угрожает  ",
    });
    assert.equal(r.status, 201);
    const c = r.body.complaint;
    assert.deepEqual({ ...c, id: "", created_at: "" }, {
      id: "",
      user_id: "bob",
      message_id: reported,
      reason: "abuse",
      text: "Он мне угрожает",
      status: "open",
      created_at: "",
    });
    const stored = (await getComplaint(s.parley.deps.kv, c.id))!;
    assert.equal(stored.reporter, "alice");
    assert.equal(stored.snapshot.message!.text, "m5");
    assert.deepEqual(stored.snapshot.context.map((m) => m.text), [
      "m2",
      "m3",
      "m4",
      "m6",
      "m7",
      "m8",
    ]);

    for (const reason of ["abuse", "spam"]) {
      const dup = await complain(s.url, alice, { user_id: "bob", message_id: reported, reason });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error.code, "complaint_exists");
    }
    // Another message, and the user as a whole, are separate complaints.
    const other = await complain(s.url, alice, {
      user_id: "bob",
      message_id: ids[8],
      reason: "spam",
    });
    assert.equal(other.status, 201);
    const whole = await complain(s.url, alice, { user_id: "bob", reason: "scam" });
    assert.equal(whole.status, 201);
    assert.equal(whole.body.complaint.message_id, null);
    const wholeStored = (await getComplaint(s.parley.deps.kv, whole.body.complaint.id))!;
    assert.equal(wholeStored.snapshot.message, null);
    assert.deepEqual(wholeStored.snapshot.context.map((m) => m.text), ["m7", "m8", "m9"]);
    assert.equal((await complain(s.url, alice, { user_id: "bob", reason: "other" })).status, 409);

    // Once an admin closes it, the same report may be filed again.
    await setComplaintStatus(s.parley.deps.kv, c.id, "dismissed", "no threat found", "boss");
    const again = await complain(s.url, alice, {
      user_id: "bob",
      message_id: reported,
      reason: "abuse",
    });
    assert.equal(again.status, 201);
  } finally {
    await s.close();
  }
});

Deno.test("complaints: bad reports are refused with the field named", async () => {
  const s = await startServer();
  try {
    const alice = await login(s.url, "alice");
    const bob = await login(s.url, "bob");
    const carol = await login(s.url, "carol");
    const mine = await send(s.url, alice, "bob", "my own");
    const elsewhere = await send(s.url, carol, "bob", "carol to bob");
    const cases: [unknown, number, string, string | undefined][] = [
      [{ user_id: "alice", reason: "spam" }, 400, "self_complaint", "user_id"],
      [{ user_id: "bad id!", reason: "spam" }, 400, "invalid_user_id", "user_id"],
      [{ user_id: "bob", reason: "rude" }, 400, "invalid_reason", "reason"],
      [{ user_id: "bob" }, 400, "invalid_reason", "reason"],
      [{ user_id: "bob", reason: "spam", text: 5 }, 400, "invalid_text", "text"],
      [{ user_id: "bob", reason: "spam", text: "я".repeat(1001) }, 400, "text_too_long", "text"],
      [
        { user_id: "bob", reason: "spam", message_id: "42" },
        400,
        "invalid_message_id",
        "message_id",
      ],
      [
        { user_id: "bob", reason: "spam", message_id: elsewhere.id },
        404,
        "not_found",
        "message_id",
      ],
      [
        { user_id: "bob", reason: "spam", message_id: mine.id },
        400,
        "invalid_message_id",
        "message_id",
      ],
    ];
    for (const [json, status, code, field] of cases) {
      const r = await complain(s.url, alice, json);
      assert.equal(r.status, status, JSON.stringify(json));
      assert.equal(r.body.error.code, code);
      assert.equal(r.body.error.field, field);
    }
    assert.equal((await complain(s.url, "", { user_id: "bob", reason: "spam" })).status, 401);
    const longest = await complain(s.url, bob, {
      user_id: "alice",
      reason: "other",
      text: "я".repeat(1000),
    });
    assert.equal(longest.status, 201);
  } finally {
    await s.close();
  }
});

Deno.test("complaints: admin listing by status and in total, newest first, paged", async () => {
  const s = await startServer();
  try {
    const kv = s.parley.deps.kv;
    const tokens = await Promise.all(["u1", "u2", "u3", "u4", "u5"].map((u) => login(s.url, u)));
    const ids: string[] = [];
    for (const t of tokens) {
      ids.push((await complain(s.url, t, { user_id: "target", reason: "spam" })).body.complaint.id);
    }
    await setComplaintStatus(kv, ids[1], "resolved", "warned", "boss");
    await setComplaintStatus(kv, ids[3], "dismissed", "", "boss");
    const newest = [...ids].reverse();

    const open = await listComplaints(kv, "open");
    assert.deepEqual(open.complaints.map((c) => c.id), [ids[4], ids[2], ids[0]]);
    assert.equal(open.next_cursor, null);
    const resolved = await listComplaints(kv, "resolved");
    assert.deepEqual(resolved.complaints.map((c) => [c.id, c.status, c.resolution?.note]), [
      [ids[1], "resolved", "warned"],
    ]);
    assert.equal(resolved.complaints[0].resolution!.by, "boss");

    const page1 = await listComplaints(kv, "all", { limit: 2 });
    assert.deepEqual(page1.complaints.map((c) => c.id), newest.slice(0, 2));
    const page2 = await listComplaints(kv, "all", { limit: 2, cursor: page1.next_cursor! });
    assert.deepEqual(page2.complaints.map((c) => c.id), newest.slice(2, 4));
    const page3 = await listComplaints(kv, "all", { limit: 2, cursor: page2.next_cursor! });
    assert.deepEqual(page3.complaints.map((c) => c.id), newest.slice(4));
    assert.equal(page3.next_cursor, null);
    const openPage = await listComplaints(kv, "open", { limit: 1, cursor: ids[4] });
    assert.deepEqual(openPage.complaints.map((c) => c.id), [ids[2]]);
    assert.equal(openPage.next_cursor, ids[2]);

    // Re-labelling a closed complaint moves it between the indexes.
    await setComplaintStatus(kv, ids[1], "dismissed", "on second look", "boss2");
    assert.deepEqual((await listComplaints(kv, "resolved")).complaints, []);
    assert.deepEqual(
      (await listComplaints(kv, "dismissed")).complaints.map((c) => c.id),
      [ids[3], ids[1]],
    );
    assert.equal(
      await setComplaintStatus(kv, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "resolved", "", "x"),
      null,
    );
  } finally {
    await s.close();
  }
});
