/**
 * Admins finding and acting on people over real HTTP: no made-up profiles for unknown ids, no
 * "done" for banning a typo, an exact id found through the host even if it never chatted, and a
 * ban (and unban) pushed to the user's open stream so the widget switches at once.
 */
import assert from "node:assert/strict";
import {
  api,
  login,
  seedProfile,
  send,
  SseClient,
  startHostSite,
  startServer,
} from "../support/helpers.ts";

type Err = { error: { code: string } };

Deno.test("unknown users: 404 unknown_user for their card and for a ban; known ones (profile, message, ban) are found", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const card = await api<Err>(s.url, "GET", "/api/v1/admin/users/zzz", { token: admin });
    assert.equal(card.status, 404);
    assert.equal(card.body.error.code, "unknown_user");
    const ban = await api<Err>(s.url, "PUT", "/api/v1/admin/bans/no-such-user-999", {
      token: admin,
      json: {},
    });
    assert.equal(ban.status, 404);
    assert.equal(ban.body.error.code, "unknown_user");
    assert.equal((await kv.get(["ban", "no-such-user-999"])).value, null);
    // A profile pushed by the site, or a user who chatted, is known.
    await seedProfile(kv, "guest", { name: "Гость" });
    assert.equal(
      (await api(s.url, "GET", "/api/v1/admin/users/guest", { token: admin })).status,
      200,
    );
    await send(s.url, await login(s.url, "bob"), "carol", "hi");
    assert.equal(
      (await api(s.url, "GET", "/api/v1/admin/users/carol", { token: admin })).status,
      200,
    );
    assert.equal(
      (await api(s.url, "PUT", "/api/v1/admin/bans/carol", { token: admin, json: {} })).status,
      200,
    );
  } finally {
    await s.close();
  }
});

Deno.test("user search: an exact id the host knows is found though the user never chatted; names fold (ё = е)", async () => {
  const host = startHostSite({
    "6": { user_id: "6", name: "Guest", login: "guest" },
    "7": { user_id: "7", name: "Ёжик Туманов", login: "ezhik" },
  }, {});
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin", PARLEY_USERS_INFO_URL: host.infoUrl });
  try {
    const admin = await login(s.url, "admin");
    type Found = { users: { user: { user_id: string; name: string } }[] };
    const byId = await api<Found>(s.url, "GET", "/api/v1/admin/users?q=6", { token: admin });
    assert.deepEqual(byId.body.users.map((u) => u.user.user_id), ["6"]);
    const none = await api<Found>(s.url, "GET", "/api/v1/admin/users?q=66", { token: admin });
    assert.deepEqual(none.body.users, []);
    // Once the host's profile is cached, the folded name finds it.
    await api(s.url, "GET", "/api/v1/admin/users/7", { token: admin });
    const folded = await api<Found>(s.url, "GET", "/api/v1/admin/users?q=ежик", { token: admin });
    assert.deepEqual(folded.body.users.map((u) => u.user.user_id), ["7"]);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("a ban and an unban reach the user's open stream as a `ban` event with the read-only notice in both languages", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const admin = await login(s.url, "admin");
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "carol", "hello");
    const stream = await SseClient.open(s.url, bob);
    await stream.waitFor((e) => e.event === "ready");
    await api(s.url, "PUT", "/api/v1/admin/bans/bob", { token: admin, json: { reason: "spam" } });
    const on = await stream.waitFor((e) => e.event === "ban");
    const d = on.data as { banned: boolean; read_only: boolean; error: { ru: string; en: string } };
    assert.equal(d.banned, true);
    assert.equal(d.read_only, true);
    assert.match(d.error.en, /turned off sending/);
    assert.match(d.error.ru, /отключил отправку/);
    assert.ok(!JSON.stringify(d).includes("spam"), "the admin's reason stays private");
    await api(s.url, "DELETE", "/api/v1/admin/bans/bob", { token: admin });
    const off = await stream.waitFor((e) =>
      e.event === "ban" && !(e.data as { banned: boolean }).banned
    );
    assert.deepEqual(off.data, {
      banned: false,
      until: null,
      read_only: false,
      error: { ru: "", en: "" },
    });
    await stream.close();
  } finally {
    await s.close();
  }
});
