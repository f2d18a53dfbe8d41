/** Time-limited bans over real HTTP: until when, enforced at read time, validated. */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { api, login, send, SseClient, startServer, userKey } from "../support/helpers.ts";
import { runMaintenance } from "../../services/jobs/maintenance.ts";

/** A ban whose end has passed but that KV still holds (expireIn only sets the earliest deletion). */
async function expiredBan(kv: Deno.Kv, uid: string): Promise<string> {
  const past = new Date(Date.now() - 1000).toISOString();
  await kv.set(keys.ban(uid), { user_id: uid, by: "admin", at: past, reason: "", until: past });
  return past;
}

type Err = { error: { code: string; field: string } };
type BanBody = {
  ban: { until: string | null; reason: string };
  audit: { details?: { until?: string } };
};

Deno.test("a ban for a duration says until when, blocks sending, and lists the end; forever has until null", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const admin = await login(s.url, "admin");
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "carol", "hi");
    const before = Date.now();
    const r = await api<BanBody>(s.url, "PUT", "/api/v1/admin/bans/bob", {
      token: admin,
      json: { reason: "spam", duration: 3600 },
    });
    assert.equal(r.status, 200);
    const until = Date.parse(r.body.ban.until!);
    assert.ok(until >= before + 3_600_000 && until <= Date.now() + 3_600_000);
    assert.equal(r.body.audit.details?.until, r.body.ban.until);
    const refused = await api<Err>(s.url, "POST", "/api/v1/dialogs/carol/messages", {
      token: bob,
      json: { text: "x" },
    });
    assert.equal(refused.status, 403);
    // The banned user's widget is told until when (in UTC), in their language.
    const signIn = await api<{ user: { ban_until: string; error: string } }>(
      s.url,
      "POST",
      "/api/v1/session?lang=en",
      { json: { user_id: "bob", user_key: await userKey("bob") } },
    );
    assert.equal(signIn.body.user.ban_until, r.body.ban.until);
    const end = r.body.ban.until!.slice(0, 16).replace("T", " ");
    assert.match(signIn.body.user.error, new RegExp(`until ${end} UTC\\.`));
    const list = await api<{ bans: { user_id: string; until: string | null }[] }>(
      s.url,
      "GET",
      "/api/v1/admin/bans",
      { token: admin },
    );
    assert.deepEqual(list.body.bans.map((b) => [b.user_id, b.until]), [["bob", r.body.ban.until]]);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const byDate = await api<BanBody>(s.url, "PUT", "/api/v1/admin/bans/bob", {
      token: admin,
      json: { until: future },
    });
    assert.equal(byDate.body.ban.until, future);
    const forever = await api<BanBody>(s.url, "PUT", "/api/v1/admin/bans/bob", { token: admin });
    assert.equal(forever.body.ban.until, null);
  } finally {
    await s.close();
  }
});

Deno.test("an expired ban still in KV (expireIn is only a lower bound) no longer applies anywhere", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "carol", "hi");
    await expiredBan(kv, "bob");
    await send(s.url, bob, "carol", "sending again");
    const card = await api<{ ban: unknown }>(s.url, "GET", "/api/v1/admin/users/bob", {
      token: admin,
    });
    assert.equal(card.body.ban, null);
    const signIn = await api<{ user: { banned: boolean; read_only: boolean } }>(
      s.url,
      "POST",
      "/api/v1/session",
      { json: { user_id: "bob", user_key: await userKey("bob") } },
    );
    assert.deepEqual([signIn.body.user.banned, signIn.body.user.read_only], [false, false]);
    const list = await api<{ bans: unknown[] }>(s.url, "GET", "/api/v1/admin/bans", {
      token: admin,
    });
    assert.deepEqual(list.body.bans, []);
    const users = await api<{ users: { banned: boolean }[] }>(
      s.url,
      "GET",
      "/api/v1/admin/users?q=bob",
      {
        token: admin,
      },
    );
    assert.deepEqual(users.body.users.map((u) => u.banned), [false]);
    // Unbanning it is still audited, without a "banned by" (there was no ban in force).
    const un = await api<{ audit: { action: string; details?: unknown } }>(
      s.url,
      "DELETE",
      "/api/v1/admin/bans/bob",
      {
        token: admin,
      },
    );
    assert.equal(un.body.audit.action, "user.unban");
    assert.equal(un.body.audit.details, undefined);
  } finally {
    await s.close();
  }
});

Deno.test("GET /api/v1/session reads the ban again with the server's time; a ban of seconds (until) ends then", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const admin = await login(s.url, "admin");
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "carol", "hi");
    type Me = {
      user: { banned: boolean; ban_until: string | null; read_only: boolean; error: string };
      now: string;
    };
    const before = await api<Me>(s.url, "GET", "/api/v1/session?lang=en", { token: bob });
    assert.equal(before.status, 200);
    assert.deepEqual([before.body.user.banned, before.body.user.read_only], [false, false]);
    const until = new Date(Date.now() + 2000).toISOString();
    const r = await api<BanBody>(s.url, "PUT", "/api/v1/admin/bans/bob", {
      token: admin,
      json: { until },
    });
    assert.equal(r.body.ban.until, until);
    const during = await api<Me>(s.url, "GET", "/api/v1/session?lang=en", { token: bob });
    assert.deepEqual(
      [during.body.user.banned, during.body.user.read_only, during.body.user.ban_until],
      [true, true, until],
    );
    assert.match(during.body.user.error, /until/);
    const serverNow = Date.parse(during.body.now);
    assert.ok(Math.abs(serverNow - Date.now()) < 5000 && serverNow < Date.parse(until));
    await new Promise((ok) => setTimeout(ok, Date.parse(until) - Date.now() + 100));
    const after = await api<Me>(s.url, "GET", "/api/v1/session?lang=en", { token: bob });
    assert.deepEqual(
      [after.body.user.banned, after.body.user.read_only, after.body.user.ban_until],
      [false, false, null],
    );
    // Without a session: 401, like every bearer call.
    assert.equal((await api(s.url, "GET", "/api/v1/session")).status, 401);
  } finally {
    await s.close();
  }
});

Deno.test("ban durations are checked: 400 with the field, nothing written", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const admin = await login(s.url, "admin");
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "carol", "hi");
    const cases: [unknown, string, string][] = [
      [{ duration: 10 }, "invalid_duration", "duration"],
      [{ duration: "1h" }, "invalid_duration", "duration"],
      [{ duration: 3600.5 }, "invalid_duration", "duration"],
      [{ duration: 20 * 365 * 86400 }, "invalid_duration", "duration"],
      [{ until: "2000-01-01T00:00:00Z" }, "invalid_until", "until"],
      [{ until: "tomorrow" }, "invalid_until", "until"],
      [{ duration: 3600, until: "2999-01-01T00:00:00Z" }, "invalid_duration", "duration"],
      [{ until: "2999-01-01T00:00:00Z" }, "invalid_until", "until"],
    ];
    for (const [json, code, field] of cases) {
      const r = await api<Err>(s.url, "PUT", "/api/v1/admin/bans/bob", { token: admin, json });
      assert.equal(r.status, 400, JSON.stringify(json));
      assert.deepEqual([r.body.error.code, r.body.error.field], [code, field]);
    }
    assert.equal((await s.parley.deps.kv.get(keys.ban("bob"))).value, null);
  } finally {
    await s.close();
  }
});

Deno.test("the hourly run removes ended bans and tells the user's open widget it may write again", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const kv = s.parley.deps.kv;
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "carol", "hi");
    const past = await expiredBan(kv, "bob");
    const forever = { user_id: "carol", by: "admin", at: past, reason: "", until: null };
    await kv.set(keys.ban("carol"), forever);
    const stream = await SseClient.open(s.url, bob);
    try {
      await stream.waitFor((e) => e.event === "ready");
      const status = await runMaintenance(kv, s.parley.deps.cfg);
      assert.equal(status.last_result?.bans, 1);
      const ev = await stream.waitFor((e) => e.event === "ban");
      assert.deepEqual(
        [(ev.data as { banned: boolean }).banned, (ev.data as { read_only: boolean }).read_only],
        [false, false],
      );
      assert.equal((await kv.get(keys.ban("bob"))).value, null);
      assert.deepEqual(
        (await kv.get(keys.ban("carol"))).value,
        forever,
        "a ban until lifted stays",
      );
    } finally {
      await stream.close();
    }
  } finally {
    await s.close();
  }
});
