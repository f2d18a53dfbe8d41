/**
 * The user side panel over real HTTP: the host's profile page from PARLEY_USER_URL_TEMPLATE, the
 * user's peers newest first, complaint counts, and moderators' notes (written, listed, deleted,
 * each in the audit log; refused for non-admins, unknown users and bad input; gone on erasure).
 */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { loadConfig } from "../../services/core/config.ts";
import { eraseUser } from "../../kv/privacy/erase.ts";
import { api, login, seedProfile, startServer } from "../support/helpers.ts";

type Panel = {
  profile_url: string | null;
  peers: { user_id: string; last_at: string }[] | null;
  complaints: { against: number; open: number; filed: number; complete: boolean };
  notes: { id: string; by: string; text: string }[];
  users: Record<string, { name: string }>;
};
type Err = { error: { code: string; field: string } };

Deno.test("user panel: profile link, peers, complaint counts, audited notes", async () => {
  const s = await startServer({
    PARLEY_ADMIN_IDS: "admin,boss",
    PARLEY_MODERATOR_IDS: "mod",
    PARLEY_USER_URL_TEMPLATE: "https://site.example/people/{login}?id={id}",
  });
  try {
    const kv = s.parley.deps.kv;
    await seedProfile(kv, "greg", { name: "Greg Miller", login: "g miller" });
    await seedProfile(kv, "anna", { name: "Анна" });
    const m1 = await sendMessage(kv, { from: "greg", to: "anna", text: "pay first" });
    await sendMessage(kv, { from: "vera", to: "greg", text: "hi" });
    await sendMessage(kv, { from: "greg", to: "boris", text: "hello" });
    await createComplaint(kv, {
      reporter: "anna",
      target: "greg",
      message_id: m1.id,
      reason: "scam",
      text: "",
    });
    await createComplaint(kv, {
      reporter: "greg",
      target: "vera",
      message_id: null,
      reason: "spam",
      text: "",
    });
    const admin = await login(s.url, "admin");
    const get = () => api<Panel>(s.url, "GET", "/api/v1/admin/users/greg/panel", { token: admin });
    const p = await get();
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.equal(p.body.profile_url, "https://site.example/people/g%20miller?id=greg");
    assert.deepEqual(p.body.peers?.map((x) => x.user_id), ["boris", "vera", "anna"]);
    assert.equal(p.body.users.anna.name, "Анна");
    assert.deepEqual(p.body.complaints, { against: 1, open: 1, filed: 1, complete: true });
    assert.deepEqual(p.body.notes, []);

    // Notes: written by one admin, seen by another, deleted, every step audited.
    const boss = await login(s.url, "boss");
    const n = await api<{ note: { id: string } }>(s.url, "POST", "/api/v1/admin/users/greg/notes", {
      token: boss,
      json: { text: "  Asked for money up front twice.  " },
    });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    const withNote = await get();
    assert.deepEqual(
      withNote.body.notes.map((x) => [x.by, x.text]),
      [["boss", "Asked for money up front twice."]],
    );
    const audit = await api<{ audit: { action: string; by: string; target: string }[] }>(
      s.url,
      "GET",
      "/api/v1/admin/audit",
      { token: admin },
    );
    assert.deepEqual(
      audit.body.audit.slice(0, 1).map((a) => [a.action, a.by, a.target]),
      [["user.note", "boss", "greg"]],
    );
    const del = await api(s.url, "DELETE", `/api/v1/admin/users/greg/notes/${n.body.note.id}`, {
      token: admin,
    });
    assert.equal(del.status, 200);
    assert.deepEqual((await get()).body.notes, []);
    const again = await api<Err>(
      s.url,
      "DELETE",
      `/api/v1/admin/users/greg/notes/${n.body.note.id}`,
      { token: admin },
    );
    assert.equal(again.status, 404);
    const audit2 = await api<{ audit: { action: string; by: string }[] }>(
      s.url,
      "GET",
      "/api/v1/admin/audit",
      { token: admin },
    );
    assert.deepEqual([audit2.body.audit[0].action, audit2.body.audit[0].by], [
      "user.note_delete",
      "admin",
    ]);

    // Bad input: 4xx JSON, nothing written.
    const empty = await api<Err>(s.url, "POST", "/api/v1/admin/users/greg/notes", {
      token: admin,
      json: { text: "   " },
    });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.field, "text");
    const long = await api<Err>(s.url, "POST", "/api/v1/admin/users/greg/notes", {
      token: admin,
      json: { text: "x".repeat(2001) },
    });
    assert.equal(long.status, 400);
    const nobody = await api<Err>(s.url, "POST", "/api/v1/admin/users/zzz/notes", {
      token: admin,
      json: { text: "typo" },
    });
    assert.equal(nobody.status, 404);
    assert.equal(nobody.body.error.code, "unknown_user");
    assert.equal(
      (await api(s.url, "GET", "/api/v1/admin/users/zzz/panel", { token: admin })).status,
      404,
    );
    const badId = await api(s.url, "DELETE", "/api/v1/admin/users/greg/notes/nope", {
      token: admin,
    });
    assert.equal(badId.status, 400);
    // A moderator sees the panel and writes notes, but not whom the user talks with.
    const mod = await login(s.url, "mod");
    const modPanel = await api<Panel>(s.url, "GET", "/api/v1/admin/users/greg/panel", {
      token: mod,
    });
    assert.equal(modPanel.status, 200);
    assert.equal(modPanel.body.peers, null);
    assert.equal(
      (await api(s.url, "POST", "/api/v1/admin/users/greg/notes", {
        token: mod,
        json: { text: "seen by a moderator" },
      })).status,
      201,
    );
    // Not for non-admins.
    const anna = await login(s.url, "anna");
    assert.equal(
      (await api(s.url, "GET", "/api/v1/admin/users/greg/panel", { token: anna })).status,
      403,
    );
    assert.equal(
      (await api(s.url, "POST", "/api/v1/admin/users/greg/notes", {
        token: anna,
        json: { text: "x" },
      })).status,
      403,
    );

    // Erasing the user takes the notes about them too.
    await api(s.url, "POST", "/api/v1/admin/users/greg/notes", {
      token: admin,
      json: { text: "a" },
    });
    await eraseUser(kv, "greg");
    let left = 0;
    for await (const _ of kv.list({ prefix: ["adm_note", "greg"] })) left++;
    assert.equal(left, 0);
  } finally {
    await s.close();
  }
});

Deno.test("PARLEY_USER_URL_TEMPLATE must name {id} or {login} and be an http(s) URL", () => {
  const base = { PARLEY_AUTH_SECRET: "x".repeat(32) };
  assert.throws(() => loadConfig({ ...base, PARLEY_USER_URL_TEMPLATE: "https://a.example/u" }));
  assert.throws(() => loadConfig({ ...base, PARLEY_USER_URL_TEMPLATE: "ftp://a.example/{id}" }));
  assert.equal(
    loadConfig({ ...base, PARLEY_USER_URL_TEMPLATE: "https://a.example/{id}" }).userUrlTemplate,
    "https://a.example/{id}",
  );
});

Deno.test("last active moves when a user sends, not when they only receive (card and search)", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const kv = s.parley.deps.kv;
    await seedProfile(kv, "quiet", { name: "Quiet" });
    await seedProfile(kv, "loud", { name: "Loud" });
    const admin = await login(s.url, "admin");
    type Card = { last_active: string | null };
    type Found = { users: { user: { user_id: string }; last_active: string | null }[] };
    const card = async (uid: string) =>
      (await api<Card>(s.url, "GET", `/api/v1/admin/users/${uid}`, { token: admin })).body
        .last_active;
    const listed = async (uid: string) =>
      (await api<Found>(s.url, "GET", `/api/v1/admin/users?q=${uid}`, { token: admin })).body
        .users.find((u) => u.user.user_id === uid)?.last_active;
    const first = await sendMessage(kv, { from: "loud", to: "quiet", text: "one" });
    assert.equal((await card("loud"))?.slice(0, 16), first.created_at.slice(0, 16));
    assert.equal(await card("quiet"), null);
    assert.equal(await listed("quiet"), null);
    // Receiving more does not make "quiet" active, and does not move "loud"'s time either.
    await new Promise((r) => setTimeout(r, 5));
    await sendMessage(kv, { from: "quiet", to: "loud", text: "two" });
    const quietAt = await card("quiet");
    assert.ok(quietAt && quietAt >= first.created_at.slice(0, 19));
    await sendMessage(kv, { from: "loud", to: "quiet", text: "three" });
    assert.equal(await card("quiet"), quietAt);
    assert.equal(await listed("quiet"), quietAt);
  } finally {
    await s.close();
  }
});
