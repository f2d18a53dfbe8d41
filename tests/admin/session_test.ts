/**
 * Ending sessions and the admin page's cookie session over real HTTP: DELETE /api/v1/session,
 * streams cut at once on sign-out, log-out and withdrawn rights, the cookie's flags, CSRF,
 * one-time sign-in links (replay, expiry) and /admin refusing to be a key checker.
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import type { AdminSignInCode, Session } from "../../kv/types.ts";
import {
  api,
  login,
  seedProfile,
  send,
  SseClient,
  startServer,
  userKey,
} from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

// The heartbeat (which also checks sessions) is at its slowest, so only the revocation path can
// end a stream within the deadlines below.
const ENV = { PARLEY_ADMIN_IDS: "admin", PARLEY_SSE_HEARTBEAT_MS: "30000" };
const ADMIN_EVENTS = { path: "/api/v1/admin/events" };

type Err = { error: { code: string } };
type AdminSession = { csrf: string; user: { user_id: string; is_admin: boolean } };

/** Resolves when the stream ended; fails the test if it is still open after `ms`. */
async function ends(stream: SseClient, what: string, ms = 10_000) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: stream still open`)), ms);
  });
  try {
    await Promise.race([stream.done, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Signs in to the admin page like the browser does; returns the cookie header and the body. */
async function adminCookie(base: string, uid = "admin", headers: Record<string, string> = {}) {
  const r = await api<AdminSession>(base, "POST", "/api/v1/admin/session", {
    json: { user_id: uid, user_key: await userKey(uid) },
    headers,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const set = r.headers.get("set-cookie") ?? "";
  return { set, cookie: set.split(";")[0], body: r.body };
}

Deno.test("DELETE /api/v1/session ends the bearer's session: its stream closes, the token gets 401, other sessions live on", async () => {
  const s = await startServer(ENV);
  try {
    const tab1 = await login(s.url, "bob");
    const tab2 = await login(s.url, "bob");
    const stream1 = await SseClient.open(s.url, tab1);
    const stream2 = await SseClient.open(s.url, tab2);
    await stream1.waitFor((e) => e.event === "ready");
    await stream2.waitFor((e) => e.event === "ready");
    const out = await api(s.url, "DELETE", "/api/v1/session", { token: tab1 });
    assert.equal(out.status, 200);
    await ends(stream1, "the signed-out session's stream");
    const after = await api<Err>(s.url, "GET", "/api/v1/dialogs", { token: tab1 });
    assert.equal(after.status, 401);
    assert.equal((await api(s.url, "DELETE", "/api/v1/session", { token: tab1 })).status, 401);
    // The other tab's session and stream are untouched, and still get messages.
    assert.equal((await api(s.url, "GET", "/api/v1/dialogs", { token: tab2 })).status, 200);
    const m = await send(s.url, await login(s.url, "carol"), "bob", "still here");
    await stream2.waitFor((e) => e.event === "message" && (e.data as { id: string }).id === m.id);
    await stream2.close();
    // An admin's bearer session ends the same way, with its admin stream.
    const admin = await login(s.url, "admin");
    const feed = await SseClient.open(s.url, admin, ADMIN_EVENTS);
    await feed.waitFor((e) => e.event === "ready");
    await api(s.url, "DELETE", "/api/v1/session", { token: admin });
    await ends(feed, "the admin's stream");
  } finally {
    await s.close();
  }
});

Deno.test("manage log-out ends an open admin stream at once: no private message reaches it afterwards", async () => {
  const s = await startManaged(ENV);
  try {
    const admin = await login(s.url, "admin");
    const feed = await SseClient.open(s.url, admin, ADMIN_EVENTS);
    await feed.waitFor((e) => e.event === "ready");
    const out = await manage(s.url, "POST", "/users/admin/logout");
    assert.equal(out.status, 200);
    await ends(feed, "the logged-out admin's stream");
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "carol", "private after the log-out");
    assert.equal(feed.ofType("message").length, 0);
    assert.equal((await api(s.url, "GET", "/api/v1/admin/stats", { token: admin })).status, 401);
  } finally {
    await s.close();
  }
});

Deno.test("a withdrawn admin is refused at once and their open admin stream ends, without a restart", async () => {
  const s = await startManaged(ENV);
  try {
    const admin = await login(s.url, "admin");
    const feed = await SseClient.open(s.url, admin, ADMIN_EVENTS);
    await feed.waitFor((e) => e.event === "ready");
    const r = await manage<{ is_admin: boolean }>(s.url, "PUT", "/users/admin/role", {
      json: { role: "user" },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.is_admin, false);
    await ends(feed, "the withdrawn admin's stream");
    const refused = await api<Err>(s.url, "GET", "/api/v1/admin/stats", { token: admin });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "not_admin");
    // A reopened stream is refused too; the widget session itself still works.
    const again = await SseClient.open(s.url, admin, ADMIN_EVENTS);
    assert.equal(again.status, 403);
    await again.close();
    assert.equal((await api(s.url, "GET", "/api/v1/dialogs", { token: admin })).status, 200);
    // Granting works the same way (carol is not in PARLEY_ADMIN_IDS); null goes back to it.
    await manage(s.url, "PUT", "/users/carol/role", { json: { role: "admin" } });
    const carol = await login(s.url, "carol");
    assert.equal((await api(s.url, "GET", "/api/v1/admin/stats", { token: carol })).status, 200);
    await manage(s.url, "PUT", "/users/admin/role", { json: { role: null } });
    assert.equal((await api(s.url, "GET", "/api/v1/admin/stats", { token: admin })).status, 200);
    const bad = await manage<Err>(s.url, "PUT", "/users/admin/role", { json: { role: "god" } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_role");
  } finally {
    await s.close();
  }
});

Deno.test("admin cookie session: HttpOnly, SameSite=Strict, Secure on https; one session for API, stream and images; sign-out ends it everywhere", async () => {
  const s = await startServer(ENV);
  try {
    const first = await adminCookie(s.url);
    assert.match(first.set, /HttpOnly/);
    assert.match(first.set, /SameSite=Strict/);
    assert.doesNotMatch(first.set, /Secure/, "plain http: Secure would drop the cookie");
    assert.doesNotMatch(first.set, /Path=/, "defaults to the API's own directory");
    assert.ok(!first.set.includes(await userKey("admin")));
    assert.match(first.body.csrf, /^[\w-]{20,}$/);
    const https = await adminCookie(s.url, "admin", { "x-forwarded-proto": "https" });
    assert.match(https.set, /Secure/);

    const cookie = { cookie: first.cookie };
    const me = await api<AdminSession>(s.url, "GET", "/api/v1/admin/session", { headers: cookie });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.user_id, "admin");
    assert.equal(me.body.csrf, first.body.csrf);
    assert.equal((await api(s.url, "GET", "/api/v1/admin/stats", { headers: cookie })).status, 200);
    // Its stream needs no token in the URL.
    const res = await fetch(`${s.url}/api/v1/admin/events`, { headers: cookie });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    // The cookie is for the admin page only: the widget's API does not take it.
    assert.equal((await api(s.url, "GET", "/api/v1/dialogs", { headers: cookie })).status, 401);
    // Signing out (one action) ends both sessions of this admin, here and in the other browser.
    const out = await api(s.url, "DELETE", "/api/v1/admin/session", {
      headers: { ...cookie, "x-parley-csrf": first.body.csrf },
    });
    assert.equal(out.status, 200);
    assert.match(out.headers.get("set-cookie") ?? "", /Max-Age=0/);
    // A replayed cookie is dead.
    for (const c of [first.cookie, https.cookie]) {
      const r = await api<Err>(s.url, "GET", "/api/v1/admin/stats", { headers: { cookie: c } });
      assert.equal(r.status, 401);
    }
    // A widget (bearer) session of the admin survives the admin page's sign-out.
    const bearer = await login(s.url, "admin");
    await adminCookie(s.url);
    assert.equal((await api(s.url, "GET", "/api/v1/dialogs", { token: bearer })).status, 200);
  } finally {
    await s.close();
  }
});

Deno.test("CSRF: a cookie write without X-Parley-CSRF, with a wrong one, or from another origin is refused and nothing happens", async () => {
  const s = await startServer(ENV);
  try {
    const { cookie, body } = await adminCookie(s.url);
    await seedProfile(s.parley.deps.kv, "bob");
    const attempts: Record<string, string>[] = [
      { cookie },
      { cookie, "x-parley-csrf": "forged-value-0123456789" },
      { cookie, "x-parley-csrf": body.csrf, origin: "http://evil.example" },
      { cookie, "x-parley-csrf": body.csrf, "sec-fetch-site": "cross-site" },
    ];
    for (const headers of attempts) {
      const r = await api<Err>(s.url, "PUT", "/api/v1/admin/bans/bob", { headers, json: {} });
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(r.body.error.code, "csrf_failed");
      const out = await api<Err>(s.url, "DELETE", "/api/v1/admin/session", { headers });
      assert.equal(out.status, 403);
    }
    assert.equal(await s.parley.deps.kv.get(keys.ban("bob")).then((e) => e.value), null);
    // Sign-in from another origin (login CSRF) is refused too.
    const cross = await api<Err>(s.url, "POST", "/api/v1/admin/session", {
      json: { user_id: "admin", user_key: await userKey("admin") },
      headers: { origin: "http://evil.example" },
    });
    assert.equal(cross.status, 403);
    // The page's own write goes through.
    const ok = await api(s.url, "PUT", "/api/v1/admin/bans/bob", {
      headers: { cookie, "x-parley-csrf": body.csrf, origin: s.url },
      json: {},
    });
    assert.equal(ok.status, 200);
  } finally {
    await s.close();
  }
});

Deno.test("one-time sign-in link from the manage API: works once; a replay, an expired link and a non-admin are refused alike", async () => {
  const s = await startManaged(ENV);
  try {
    const kv = s.parley.deps.kv;
    const mint = async () => {
      const r = await manage<{ path: string }>(s.url, "POST", "/users/admin/admin-signin");
      assert.equal(r.status, 200);
      assert.match(r.body.path, /^\/admin#signin=[\w-]{40,}$/);
      return r.body.path.split("=")[1];
    };
    const code = await mint();
    const use = (c: string) =>
      api<AdminSession & Err>(s.url, "POST", "/api/v1/admin/session", { json: { code: c } });
    const ok = await use(code);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user.user_id, "admin");
    assert.match(ok.headers.get("set-cookie") ?? "", /HttpOnly/);
    const replay = await use(code);
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error.code, "sign_in_failed");
    // Expired: the record outlives its time (KV's expiry is only a lower bound), still refused.
    const late = await mint();
    for await (const e of kv.list<AdminSignInCode>({ prefix: ["admin_signin_code"] })) {
      await kv.set(e.key, { ...e.value, expires_at: Date.now() - 1 });
    }
    const expired = await use(late);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, "sign_in_failed");
    assert.equal((await use("made-up-code")).status, 401);
    // Only admins get links.
    const refused = await manage<Err>(s.url, "POST", "/users/bob/admin-signin");
    assert.equal(refused.status, 403);
    // An expired cookie session is refused as well.
    const { cookie } = await adminCookie(s.url);
    const token = cookie.split("=")[1];
    const entry = await kv.get<Session>(keys.session(token));
    await kv.set(keys.session(token), { ...entry.value!, expires_at: Date.now() - 1 });
    const gone = await api(s.url, "GET", "/api/v1/admin/session", { headers: { cookie } });
    assert.equal(gone.status, 401);
  } finally {
    await s.close();
  }
});

Deno.test("/admin is no key checker: a wrong key, a valid non-admin key and an admin key get the same answer; sign-in says one thing for all failures", async () => {
  const s = await startServer({ ...ENV, PARLEY_ADMIN_IDS: "admin" });
  try {
    const answers = [];
    for (
      const [uid, key] of [
        ["anna", await userKey("anna")],
        ["anna", "wrong"],
        ["admin", await userKey("admin")],
        ["nobody", "x"],
      ]
    ) {
      const r = await fetch(`${s.url}/admin?lang=en&user_id=${uid}&user_key=${key}`, {
        redirect: "manual",
      });
      await r.body?.cancel();
      answers.push([r.status, r.headers.get("location")]);
    }
    assert.deepEqual(answers, Array(4).fill([303, "admin?lang=en"]));
    const page = await fetch(`${s.url}/admin?lang=en`);
    assert.equal(page.status, 200);
    await page.body?.cancel();
    // The sign-in API: wrong key and valid non-admin key answer alike.
    const bodies = [];
    for (const [uid, key] of [["anna", await userKey("anna")], ["anna", "wrong"]]) {
      const r = await api<Err>(s.url, "POST", "/api/v1/admin/session", {
        json: { user_id: uid, user_key: key },
      });
      bodies.push([r.status, r.body.error.code]);
    }
    assert.deepEqual(bodies, [[401, "sign_in_failed"], [401, "sign_in_failed"]]);
  } finally {
    await s.close();
  }
});
