/**
 * Sign-in cannot be used to guess keys or to make Parley hammer the host: failed attempts are
 * limited per user id and per client address (429 + Retry-After, before anything is checked),
 * and negative answers are remembered briefly, so wrong keys and unknown ids cost one host call.
 */
import assert from "node:assert/strict";
import {
  api,
  login,
  startHostSite,
  startServer,
  type TestServer,
  userKey,
} from "../support/helpers.ts";

type Err = { error: { code: string; message: string } };
const HASH = (id: string) => `hash-of-${id}-0123456789abcdef`;

const signIn = (s: TestServer, user_id: string, user_key: string) =>
  api<Err>(s.url, "POST", "/api/v1/session", { json: { user_id, user_key } });

/** A host that, like PHP's (int), has a hash for every id, but knows the profiles of `known`. */
function phpLikeHost(known: string[]) {
  const users = Object.fromEntries(known.map((id) => [id, { user_id: id, name: `User ${id}` }]));
  const hashes = new Proxy({} as Record<string, string>, { get: (_t, id) => HASH(String(id)) });
  return startHostSite(users, hashes);
}

function callbackParley(host: ReturnType<typeof startHostSite>, env: Record<string, string>) {
  return startServer({
    PARLEY_AUTH_SECRET: "",
    PARLEY_USERS_INFO_URL: host.infoUrl,
    PARLEY_USERS_HASH_URL: host.hashUrl,
    ...env,
  });
}

Deno.test("sign-in: 200 wrong keys cost one call to the host, and the right key still works", async () => {
  const host = phpLikeHost(["1"]);
  const s = await callbackParley(host, {});
  try {
    for (let i = 0; i < 200; i++) {
      const r = await signIn(s, "1", `wrong-key-${i}-0123456789abcdef`);
      assert.equal(r.status, 401);
    }
    // The negative answer stands 10 s; a slow machine may need a few more calls, never 200.
    assert.ok(host.calls.hash.length <= 5, `${host.calls.hash.length} hash calls`);
    const ok = await signIn(s, "1", HASH("1"));
    assert.equal(ok.status, 200);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("sign-in: 100 attempts for 50 unknown ids ask users-info about each id once", async () => {
  const host = phpLikeHost(["1"]);
  const s = await callbackParley(host, {});
  try {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 50; i++) {
        const id = `ghost${i}`;
        const r = await signIn(s, id, HASH(id));
        assert.equal(r.status, 403);
        assert.equal(r.body.error.code, "not_a_chat_user");
      }
    }
    assert.equal(host.calls.info.length, 50);
    assert.equal(host.calls.hash.length, 50);
  } finally {
    await s.close();
    await host.close();
  }
});

// Windows of 7 days, so no test straddles a window's end (the defaults are per minute).
Deno.test("sign-in: with 30 failures per address the same 100 attempts stop at 30", async () => {
  const host = phpLikeHost(["1"]);
  const s = await callbackParley(host, {
    PARLEY_RATE_SIGNIN: "10/7d",
    PARLEY_RATE_SIGNIN_IP: "30/7d",
  });
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 100; i++) {
      const id = `ghost${i % 50}`;
      const r = await signIn(s, id, HASH(id));
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers.get("retry-after");
        assert.equal(r.body.error.code, "rate_limited");
      }
    }
    assert.equal(statuses.filter((x) => x === 403).length, 30);
    assert.equal(statuses.filter((x) => x === 429).length, 70);
    assert.match(retryAfter ?? "", /^[1-9]\d*$/);
    assert.ok(host.calls.info.length <= 30, `${host.calls.info.length} users-info calls`);
    assert.ok(host.calls.hash.length <= 30, `${host.calls.hash.length} hash calls`);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("sign-in: failures are limited per user id, successes are not counted", async () => {
  const s = await startServer({ PARLEY_RATE_SIGNIN: "3/7d", PARLEY_RATE_SIGNIN_IP: "off" });
  try {
    // Opening many pages signs in many times: never limited.
    for (let i = 0; i < 15; i++) await login(s.url, "alice");
    for (let i = 0; i < 3; i++) {
      assert.equal((await signIn(s, "alice", `bad-${i}`)).status, 401);
    }
    const locked = await signIn(s, "alice", "bad-again");
    assert.equal(locked.status, 429);
    assert.match(locked.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
    // Locked means locked: a guess that happens to be right is not even checked.
    assert.equal((await signIn(s, "alice", await userKey("alice"))).status, 429);
    // Another user is not affected.
    await login(s.url, "bob");
  } finally {
    await s.close();
  }
});

Deno.test("sign-in: failures are limited per client address across user ids", async () => {
  const s = await startServer({ PARLEY_RATE_SIGNIN: "off", PARLEY_RATE_SIGNIN_IP: "4/7d" });
  try {
    for (let i = 0; i < 4; i++) assert.equal((await signIn(s, `u${i}`, "bad")).status, 401);
    const r = await signIn(s, "u9", "bad");
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, "rate_limited");
  } finally {
    await s.close();
  }
});

Deno.test("profiles: an id the host does not know is asked about once, not on every read", async () => {
  const host = startHostSite({ bob: { user_id: "bob", name: "Bob" } }, {});
  const s = await startServer({ PARLEY_USERS_INFO_URL: host.infoUrl });
  try {
    const me = await login(s.url, "bob");
    const before = host.calls.info.length;
    for (let i = 0; i < 5; i++) {
      const r = await api(s.url, "GET", "/api/v1/dialogs/ghost/messages", { token: me });
      assert.equal(r.status, 200);
    }
    assert.deepEqual(host.calls.info.slice(before), ["ghost"]);
  } finally {
    await s.close();
    await host.close();
  }
});
