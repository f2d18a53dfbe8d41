import assert from "node:assert/strict";
import { api, login, send, SseClient } from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

type Err = { error: { code: string; field?: string } };

Deno.test("manage ban: the site bans a user (they read, cannot send), unbans, and it is audited", async () => {
  const s = await startManaged({ PARLEY_ADMIN_IDS: "boss" });
  try {
    const [alice, bob] = [await login(s.url, "alice"), await login(s.url, "bob")];
    await send(s.url, bob, "alice", "hello before the ban");

    const ban = await manage(s.url, "PUT", "/users/alice/ban", { json: { reason: "spam wave" } });
    assert.equal(ban.status, 200);
    assert.equal(ban.body.banned, true);
    const refused = await api<Err>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: alice,
      json: { text: "let me out" },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "banned");
    // Reading still works.
    const hist = await api<{ messages: unknown[] }>(s.url, "GET", "/api/v1/dialogs/bob/messages", {
      token: alice,
    });
    assert.equal(hist.body.messages.length, 1);

    const unban = await manage(s.url, "DELETE", "/users/alice/ban");
    assert.equal(unban.status, 200);
    assert.equal(unban.body.banned, false);
    await send(s.url, alice, "bob", "free again");

    const boss = await login(s.url, "boss");
    const audit = await api<
      { rows: { by: string; action: string; target: string; note: string }[] }
    >(
      s.url,
      "GET",
      "/api/v1/admin/audit",
      { token: boss },
    );
    const rows =
      (audit.body.rows ?? (audit.body as unknown as { audit: typeof audit.body.rows }).audit)
        .map((r) => [r.by, r.action, r.target, r.note]);
    assert.deepEqual(rows, [
      ["manage_api", "user.unban", "alice", ""],
      ["manage_api", "user.ban", "alice", "spam wave"],
    ]);

    const admin = await manage<Err>(s.url, "PUT", "/users/boss/ban");
    assert.equal(admin.status, 403);
    assert.equal(admin.body.error.code, "cannot_ban_admin");
    const bad = await manage<Err>(s.url, "PUT", "/users/alice/ban", { json: { reason: 5 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, "reason");
  } finally {
    await s.close();
  }
});

Deno.test("manage block: the site blocks a user on another's behalf; sends are refused, then allowed", async () => {
  const s = await startManaged({ PARLEY_ADMIN_IDS: "boss" });
  try {
    const [alice, bob] = [await login(s.url, "alice"), await login(s.url, "bob")];
    const r = await manage(s.url, "PUT", "/users/alice/blocks/bob");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { user_id: "alice", peer: "bob", blocked: true });
    const refused = await api<Err>(s.url, "POST", "/api/v1/dialogs/alice/messages", {
      token: bob,
      json: { text: "hi" },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "blocked");
    const tab = await api<{ contacts: { user: { user_id: string } }[] }>(
      s.url,
      "GET",
      "/api/v1/contacts?tab=blocked",
      { token: alice },
    );
    assert.deepEqual(tab.body.contacts.map((c) => c.user.user_id), ["bob"]);

    const un = await manage(s.url, "DELETE", "/users/alice/blocks/bob");
    assert.deepEqual(un.body, { user_id: "alice", peer: "bob", blocked: false });
    await send(s.url, bob, "alice", "hi again");

    const admin = await manage<Err>(s.url, "PUT", "/users/alice/blocks/boss");
    assert.equal(admin.status, 403);
    assert.equal(admin.body.error.code, "cannot_block_admin");
    const self = await manage<Err>(s.url, "PUT", "/users/alice/blocks/alice");
    assert.equal(self.body.error.field, "peer");
  } finally {
    await s.close();
  }
});

Deno.test("manage presence: online while a widget is open, then offline with last_seen", async () => {
  const s = await startManaged({ PARLEY_PRESENCE_GRACE_MS: "0" });
  try {
    const never = await manage(s.url, "GET", "/users/ghost/presence");
    assert.deepEqual(never.body, { user_id: "ghost", online: false, last_seen: null });
    const alice = await login(s.url, "alice");
    const stream = await SseClient.open(s.url, alice);
    await stream.waitFor((e) => e.event === "ready");
    const online = async () => (await manage(s.url, "GET", "/users/alice/presence")).body.online;
    while (!await online()) await new Promise((r) => setTimeout(r, 10));
    await stream.close();
    while (await online()) await new Promise((r) => setTimeout(r, 10));
    const after = await manage(s.url, "GET", "/users/alice/presence");
    assert.equal(typeof after.body.last_seen, "string");
    const bad = await manage<Err>(s.url, "GET", "/users/a.b/presence");
    assert.equal(bad.status, 400);
  } finally {
    await s.close();
  }
});
