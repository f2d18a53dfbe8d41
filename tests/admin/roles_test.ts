/** Moderators (PARLEY_MODERATOR_IDS or the manage API's role) over real HTTP: what they may do. */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { api, login, seedProfile, send, SseClient, startHostSite } from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

const ENV = { PARLEY_ADMIN_IDS: "boss", PARLEY_MODERATOR_IDS: "mod" };
type Err = { error: { code: string } };

Deno.test("a moderator handles complaints, deletes and bans, but gets 403 moderator_not_allowed on every view of private dialogs", async () => {
  const s = await startManaged(ENV);
  try {
    const kv = s.parley.deps.kv;
    await seedProfile(kv, "mod", { name: "Mod Erator" });
    const mod = await login(s.url, "mod");
    const boss = await login(s.url, "boss");
    const a = await login(s.url, "a");
    const m = await send(s.url, a, "b", "buy cheap pills");
    await send(s.url, a, "b", "second");
    const complaint = await createComplaint(kv, {
      reporter: "b",
      target: "a",
      message_id: m.id,
      reason: "spam",
      text: "",
    });
    const refused = [
      "/api/v1/admin/messages",
      "/api/v1/admin/messages?user=a",
      "/api/v1/admin/messages?user=a&peer=b",
      "/api/v1/admin/messages?attachments=1",
      "/api/v1/admin/messages?q=pills",
      `/api/v1/admin/messages/${m.id}`,
      "/api/v1/admin/attachments/01ARZ3NDEKTSV4RRFFQ69G5FAV",
      "/api/v1/admin/audit",
      "/api/v1/admin/export/messages",
      "/api/v1/admin/export/audit",
    ];
    for (const path of refused) {
      const r = await api<Err>(s.url, "GET", path, { token: mod });
      assert.equal(r.status, 403, path);
      assert.equal(r.body.error.code, "moderator_not_allowed", path);
      assert.equal((await api(s.url, "GET", path, { token: boss })).status === 403, false, path);
    }
    // What a moderator may use: the queue with the reported message in its context, people,
    // bans, stats, the complaints export.
    const detail = await api<{ context: { id: string; text: string }[] }>(
      s.url,
      "GET",
      `/api/v1/admin/complaints/${complaint.id}?around=10`,
      { token: mod },
    );
    assert.equal(detail.status, 200);
    assert.deepEqual(detail.body.context.map((x) => x.text), ["buy cheap pills", "second"]);
    for (
      const path of [
        "/api/v1/admin/complaints",
        "/api/v1/admin/users?q=a",
        "/api/v1/admin/users/a",
        "/api/v1/admin/bans",
        "/api/v1/admin/stats",
        "/api/v1/admin/export/complaints",
      ]
    ) {
      const r = await api(s.url, "GET", path, { token: mod });
      assert.equal(r.status, 200, path);
    }
    const session = await api<{ user: { role: string; is_admin: boolean } }>(
      s.url,
      "GET",
      "/api/v1/admin/users/mod",
      { token: boss },
    );
    assert.deepEqual([session.body.user && (session.body as unknown as { role: string }).role], [
      "moderator",
    ]);
    const del = await api(s.url, "DELETE", `/api/v1/admin/messages/${m.id}`, {
      token: mod,
      json: { note: "spam" },
    });
    assert.equal(del.status, 200);
    const ban = await api<{ audit: { by: string } }>(s.url, "PUT", "/api/v1/admin/bans/a", {
      token: mod,
      json: { reason: "spam" },
    });
    assert.equal(ban.status, 200);
    assert.equal(ban.body.audit.by, "mod");
    // Staff cannot be banned, a moderator included.
    const staff = await api<Err>(s.url, "PUT", "/api/v1/admin/bans/mod", { token: boss });
    assert.equal(staff.status, 403);
    assert.equal(staff.body.error.code, "cannot_ban_admin");
    // The admin's audit log names the moderator who acted.
    const audit = await api<
      { audit: { by: string; action: string }[]; users: Record<string, { name: string }> }
    >(
      s.url,
      "GET",
      "/api/v1/admin/audit?by=mod",
      { token: boss },
    );
    assert.deepEqual(audit.body.audit.map((r) => r.action), ["user.ban", "message.delete"]);
    assert.equal(audit.body.users.mod.name, "Mod Erator");
  } finally {
    await s.close();
  }
});

Deno.test("a moderator's admin stream carries complaints and bans but no private messages", async () => {
  const s = await startManaged(ENV);
  try {
    const kv = s.parley.deps.kv;
    const mod = await login(s.url, "mod");
    const a = await login(s.url, "a");
    const stream = await SseClient.open(s.url, mod, { path: "/api/v1/admin/events" });
    try {
      await stream.waitFor((e) => e.event === "ready");
      // A dialog no complaint points to (a complaint's context is the moderator's to see).
      await send(s.url, a, "c", "private words");
      await createComplaint(kv, {
        reporter: "b",
        target: "a",
        message_id: null,
        reason: "abuse",
        text: "",
      });
      await api(s.url, "PUT", "/api/v1/admin/bans/a", { token: mod });
      await stream.waitFor((e) => e.event === "ban");
      assert.deepEqual(
        stream.events.filter((e) => e.event !== "ready").map((e) => e.event),
        ["complaint", "ban"],
      );
      assert.doesNotMatch(JSON.stringify(stream.events), /private words/);
    } finally {
      await stream.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("PUT /manage/users/:id/role takes moderator: the page opens for them with role moderator, and a one-time link works", async () => {
  const s = await startManaged(ENV);
  try {
    const r = await manage<{ role: string; is_admin: boolean; is_moderator: boolean }>(
      s.url,
      "PUT",
      "/users/carol/role",
      { json: { role: "moderator" } },
    );
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.role, r.body.is_admin, r.body.is_moderator], [
      "moderator",
      false,
      true,
    ]);
    const carol = await login(s.url, "carol");
    assert.equal(
      (await api(s.url, "GET", "/api/v1/admin/complaints", { token: carol })).status,
      200,
    );
    assert.equal((await api(s.url, "GET", "/api/v1/admin/messages", { token: carol })).status, 403);
    const link = await manage<{ path: string }>(s.url, "POST", "/users/carol/admin-signin");
    assert.equal(link.status, 200);
    const code = link.body.path.split("#signin=")[1];
    const signed = await api<{ user: { role: string; is_admin: boolean } }>(
      s.url,
      "POST",
      "/api/v1/admin/session",
      {
        json: { code },
        headers: { origin: s.url },
      },
    );
    assert.equal(signed.status, 200);
    assert.deepEqual([signed.body.user.role, signed.body.user.is_admin], ["moderator", false]);
    // Withdrawing the role refuses them at once; making them admin opens everything.
    await manage(s.url, "PUT", "/users/carol/role", { json: { role: "user" } });
    assert.equal(
      (await api(s.url, "GET", "/api/v1/admin/complaints", { token: carol })).status,
      403,
    );
    await manage(s.url, "PUT", "/users/carol/role", { json: { role: "admin" } });
    assert.equal((await api(s.url, "GET", "/api/v1/admin/messages", { token: carol })).status, 200);
    const bad = await manage<Err>(s.url, "PUT", "/users/carol/role", { json: { role: "owner" } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_role");
    // PARLEY_MODERATOR_IDS is read at start like PARLEY_ADMIN_IDS.
    const env = await login(s.url, "mod");
    const me = await api<{ users: { role: string }[] }>(s.url, "GET", "/api/v1/admin/users?q=mod", {
      token: env,
    });
    assert.equal(me.status, 200);
  } finally {
    await s.close();
  }
});

Deno.test("the audit log names its actors without asking the host about the site itself (manage_api)", async () => {
  const host = startHostSite({ boss: { id: "boss", name: "Boss Bea", login: "boss" } }, {});
  const s = await startManaged({ ...ENV, PARLEY_USERS_INFO_URL: host.infoUrl });
  try {
    const boss = await login(s.url, "boss");
    await manage(s.url, "PUT", "/users/x1/ban", { json: { reason: "by the site" } });
    await api(s.url, "DELETE", "/api/v1/admin/bans/x1", { token: boss });
    const audit = await api<{ audit: { by: string }[]; users: Record<string, { name: string }> }>(
      s.url,
      "GET",
      "/api/v1/admin/audit",
      { token: boss },
    );
    assert.deepEqual(audit.body.audit.map((r) => r.by), ["boss", "manage_api"]);
    assert.equal(audit.body.users.boss.name, "Boss Bea");
    const csv = await fetch(`${s.url}/api/v1/admin/export/audit`, {
      headers: { authorization: `Bearer ${boss}` },
    }).then((r) => r.text());
    assert.match(csv, /,manage_api,,user\.ban,x1,/);
    assert.ok(
      !host.calls.info.some((ids) => ids.split(",").includes("manage_api")),
      `asked the host: ${host.calls.info.join(" | ")}`,
    );
  } finally {
    await s.close();
    await host.close();
  }
});
