/** Admin access rules, stats and user search over real HTTP. */
import assert from "node:assert/strict";
import { activeDialogCounts } from "../../kv/moderation/stats.ts";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, seedProfile, send, startServer } from "../support/helpers.ts";

const ADMIN_ENV = { PARLEY_ADMIN_IDS: "admin,boss" };

type Page = { messages: { id: string }[] };

Deno.test("every admin route refuses a non-admin with 403 not_admin and a stranger with 401", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const bob = await login(s.url, "bob");
    const m = await send(s.url, bob, "carol", "hello");
    const c = await createComplaint(kv, {
      message_id: null,
      reporter: "carol",
      target: "bob",
      text: "",
      reason: "spam",
    });
    const routes: [string, string][] = [
      ["GET", "/api/v1/admin/events"],
      ["GET", "/api/v1/admin/stats"],
      ["GET", "/api/v1/admin/messages"],
      ["GET", `/api/v1/admin/messages/${m.id}`],
      ["DELETE", `/api/v1/admin/messages/${m.id}`],
      ["GET", "/api/v1/admin/users?q=bo"],
      ["GET", "/api/v1/admin/users/bob"],
      ["GET", "/api/v1/admin/profiles?ids=bob,carol"],
      ["GET", "/api/v1/admin/bans"],
      ["PUT", "/api/v1/admin/bans/carol"],
      ["DELETE", "/api/v1/admin/bans/carol"],
      ["GET", "/api/v1/admin/audit"],
      ["GET", "/api/v1/admin/complaints"],
      ["GET", `/api/v1/admin/complaints/${c!.id}`],
      ["POST", `/api/v1/admin/complaints/${c!.id}/resolve`],
      ["POST", `/api/v1/admin/complaints/${c!.id}/dismiss`],
    ];
    for (const [method, path] of routes) {
      const r = await api<{ error: { code: string } }>(s.url, method, path, {
        token: bob,
        json: method === "GET" ? undefined : {},
      });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.match(r.headers.get("content-type")!, /application\/json/);
      assert.equal(r.body.error.code, "not_admin", `${method} ${path}`);
      const anon = await api(s.url, method, path);
      assert.equal(anon.status, 401, `${method} ${path} without a token`);
    }
    // Nothing the refused calls asked for happened.
    const hist = await api<Page>(s.url, "GET", "/api/v1/dialogs/carol/messages", { token: bob });
    assert.deepEqual(hist.body.messages.map((x) => x.id), [m.id]);
    const still = await api<{ complaint: { status: string } }>(
      s.url,
      "GET",
      `/api/v1/admin/complaints/${c!.id}`,
      { token: admin },
    );
    assert.equal(still.body.complaint.status, "open");
    const audit = await api<{ audit: unknown[] }>(s.url, "GET", "/api/v1/admin/audit", {
      token: admin,
    });
    assert.deepEqual(audit.body.audit, []);
    // The same table answers an admin (every GET is a real route, not a 404).
    for (const [method, path] of routes.filter(([m]) => m === "GET")) {
      const ctl = new AbortController();
      const r = await fetch(s.url + path, {
        headers: { authorization: `Bearer ${admin}` },
        signal: ctl.signal,
      });
      assert.equal(r.status, 200, `${method} ${path} as admin`);
      ctl.abort();
      await r.body?.cancel().catch(() => {});
    }
  } finally {
    await s.close();
  }
});

Deno.test("stats count dialogs active in the last hour/day/week/month and open complaints", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    await sendMessage(kv, { from: "a", to: "b", text: "1" });
    await sendMessage(kv, { from: "b", to: "a", text: "2" });
    await sendMessage(kv, { from: "a", to: "c", text: "3" });
    const only = await sendMessage(kv, { from: "c", to: "d", text: "4" });
    await createComplaint(kv, {
      message_id: null,
      reporter: "b",
      target: "a",
      text: "",
      reason: "spam",
    });
    await createComplaint(kv, {
      message_id: null,
      reporter: "c",
      target: "a",
      reason: "abuse",
      text: "rude",
    });

    type Stats = { dialogs: Record<string, number>; complaints: { open: number } };
    const r = await api<Stats>(s.url, "GET", "/api/v1/admin/stats", { token: admin });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.dialogs, { hour: 3, day: 3, week: 3, month: 3 });
    assert.equal(r.body.complaints.open, 2);

    // The same dialogs seen from later moments fall out of each window in turn.
    const h = 3_600_000;
    const now = Date.now();
    assert.deepEqual(await activeDialogCounts(kv, now + 2 * h), {
      hour: 0,
      day: 3,
      week: 3,
      month: 3,
    });
    assert.deepEqual(await activeDialogCounts(kv, now + 25 * h), {
      hour: 0,
      day: 0,
      week: 3,
      month: 3,
    });
    assert.deepEqual(await activeDialogCounts(kv, now + 8 * 24 * h), {
      hour: 0,
      day: 0,
      week: 0,
      month: 3,
    });
    assert.deepEqual(await activeDialogCounts(kv, now + 31 * 24 * h), {
      hour: 0,
      day: 0,
      week: 0,
      month: 0,
    });

    // Deleting a dialog's only message takes the dialog out of the counts.
    const del = await api(s.url, "DELETE", `/api/v1/admin/messages/${only.id}`, { token: admin });
    assert.equal(del.status, 200);
    const after = await api<Stats>(s.url, "GET", "/api/v1/admin/stats", { token: admin });
    assert.deepEqual(after.body.dialogs, { hour: 2, day: 2, week: 2, month: 2 });
  } finally {
    await s.close();
  }
});

Deno.test("users are found by id, login or name, case- and accent-insensitively, paged", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const profile = (user_id: string, name: string, login: string) =>
      seedProfile(kv, user_id, { name, login });
    await profile("17", "Анна Петрова", "anna");
    await profile("18", "Émile Zola", "emile");
    await profile("19", "Борис", "boris_k");
    for (let i = 0; i < 25; i++) {
      await profile(`t${String(i).padStart(2, "0")}`, `Tester ${i}`, `t${i}`);
    }
    // A user who only ever messaged (signed mode, no profile) is findable by id.
    await sendMessage(kv, { from: "zed", to: "17", text: "hi" });

    type Found = { users: { user: { user_id: string }; last_active: string | null }[] };
    const find = async (q: string) =>
      (await api<Found & { next_cursor: string | null }>(
        s.url,
        "GET",
        `/api/v1/admin/users?q=${encodeURIComponent(q)}`,
        { token: admin },
      )).body;
    assert.deepEqual((await find("АННА")).users.map((u) => u.user.user_id), ["17"]);
    assert.deepEqual((await find("emile")).users.map((u) => u.user.user_id), ["18"]);
    assert.deepEqual((await find("ZOLA")).users.map((u) => u.user.user_id), ["18"]);
    assert.deepEqual((await find("BORIS_")).users.map((u) => u.user.user_id), ["19"]);
    const zed = await find("zed");
    assert.deepEqual(zed.users.map((u) => u.user.user_id), ["zed"]);
    assert.ok(zed.users[0].last_active);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Found & { next_cursor: string | null } = (await api<
        Found & { next_cursor: string | null }
      >(
        s.url,
        "GET",
        `/api/v1/admin/users?q=tester&limit=10${cursor ? `&cursor=${cursor}` : ""}`,
        { token: admin },
      )).body;
      seen.push(...page.users.map((u) => u.user.user_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, "0")}`));
  } finally {
    await s.close();
  }
});
