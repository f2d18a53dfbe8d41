/**
 * Parley in callback mode against the original Star.Comet-Chat's own PHP callbacks
 * (tests/fixtures/star-comet-chat/backend-example/, served by `php -S`): they sign users in as
 * they are, `testIpOrDie()`'s "No access" answer is never a key, and the ids PHP's `(int)` folds
 * into user 2 (`02`, `002`, `2abc`, `2_x`) never become a second user 2 past bans and blocks.
 */
import assert from "node:assert/strict";
import { captureLogs } from "../support/logs.ts";
import { api, send, startServer, type TestServer } from "../support/helpers.ts";
import { manage } from "../support/manage_helpers.ts";
import { type PhpHost, startPhpHost } from "../support/php_host.ts";

type Err = { error: { code: string; message: string; field?: string } };
type Session = {
  token: string;
  user: {
    user_id: string;
    name: string;
    city: string;
    age: number | null;
    avatar_url: string | null;
    is_admin: boolean;
    banned: boolean;
    read_only: boolean;
  };
};

const TOKEN = "callback-token-do-not-log-0123456789";

function startParley(host: PhpHost, env: Record<string, string> = {}): Promise<TestServer> {
  return startServer({
    PARLEY_AUTH_SECRET: "",
    PARLEY_USERS_INFO_URL: host.usersUrl,
    PARLEY_USERS_HASH_URL: host.hashUrl,
    PARLEY_ADMIN_IDS: "1",
    PARLEY_TRUSTED_IPS: "127.0.0.1, ::1",
    ...env,
  });
}

const signIn = (s: TestServer, user_id: unknown, user_key: string) =>
  api<Session & Err>(s.url, "POST", "/api/v1/session", { json: { user_id, user_key } });

Deno.test({
  name:
    "php host: the original's callbacks, PHP warnings, \\/ and \\u escapes and int ids sign users in",
  async fn() {
    // session_start() prints two warnings before every answer, as display_errors=on makes it.
    const host = await startPhpHost({ sessionWarnings: true, query: `token=${TOKEN}` });
    const s = await startParley(host);
    try {
      const raw = await fetch(host.usersUrl, {
        method: "POST",
        body: new URLSearchParams({ users: "1" }),
      });
      const text = await raw.text();
      assert.match(
        text,
        /<b>Warning<\/b>: {2}session_start\(\)/,
        "the fixture prints warnings first",
      );
      assert.match(text, /"user_id":1,"avatar_url":"https:\\\/\\\/comet-server/);
      assert.match(text, /\\u0412\\u0438\\u043a/);

      const viktor = await signIn(s, 1, await host.hashOf(1));
      assert.equal(viktor.status, 200, JSON.stringify(viktor.body));
      assert.equal(viktor.body.user.user_id, "1");
      assert.equal(viktor.body.user.name, "Виктор");
      assert.equal(viktor.body.user.city, "Москва");
      assert.equal(
        viktor.body.user.avatar_url,
        "https://comet-server.com/doc/CometQL/Star.Comet-Chat/img/avatar0.png",
      );
      assert.equal(viktor.body.user.is_admin, true);
      const masha = await signIn(s, "3", await host.hashOf(3));
      assert.equal(masha.status, 200);
      assert.equal(masha.body.user.age, 0, "the original's 0.9 is a whole number of years");
      const lena = await signIn(s, "2", await host.hashOf(2));
      assert.equal(lena.body.user.name, "Лена");
      await send(s.url, viktor.body.token, "2", "Привет, Лена");
      const history = await api<{ messages: { text: string }[] }>(
        s.url,
        "GET",
        "/api/v1/dialogs/1/messages",
        {
          token: lena.body.token,
        },
      );
      assert.deepEqual(history.body.messages.map((m) => m.text), ["Привет, Лена"]);

      // A wrong key is refused, and so is a user the users-info answer does not return (99:
      // the fixture still answers a hash for it, after three warnings).
      assert.equal((await signIn(s, 1, await host.hashOf(2))).status, 401);
      const ghost = await signIn(s, 99, await host.hashOf(99));
      assert.equal(ghost.status, 403);
      assert.equal(ghost.body.error.code, "not_a_chat_user");
      assert.match(ghost.body.error.message, /You do not have the right to use chat/);
    } finally {
      await s.close();
      await host.close();
    }
  },
});

Deno.test("php host: testIpOrDie()'s 'No access from ip 127.0.0.1' is never a key, and says why in the log", async () => {
  // The owner restricted the callbacks to another server's address, as the original advised.
  const host = await startPhpHost({ trustedIp: "203.0.113.7", query: `token=${TOKEN}` });
  const s = await startParley(host);
  try {
    const direct = await fetch(host.hashUrl, {
      method: "POST",
      body: new URLSearchParams({ id: "1" }),
    });
    assert.equal(direct.status, 200);
    assert.equal(await direct.text(), "No access from ip 127.0.0.1");

    const { result, lines } = await captureLogs(() =>
      signIn(s, "1", "No access from ip 127.0.0.1")
    );
    assert.equal(result.status, 502, JSON.stringify(result.body));
    assert.equal(result.body.error.code, "host_unavailable");
    assert.equal(result.body.token, undefined);
    const line = lines.find((l) => l.includes("URL_getUsersHash"));
    assert.ok(line, lines.join("\n"));
    assert.match(line, /not one token/);
    assert.match(line, /No access from ip 127\.0\.0\.1/);
    assert.match(line, /chat_get_user_hash\.php/);
    assert.ok(!lines.some((l) => l.includes(TOKEN) || l.includes("token=")), lines.join("\n"));
    // Nor does any other text of the answer open a session, or a typed-in empty key.
    for (const key of ["No", "No access", " ", "127.0.0.1"]) {
      assert.notEqual((await signIn(s, "1", key)).status, 200, key);
    }
  } finally {
    await s.close();
    await host.close();
  }

  // With $trusted_ip set to the address Parley calls from, the same callbacks work.
  const allowed = await startPhpHost({ trustedIp: "127.0.0.1" });
  const s2 = await startParley(allowed);
  try {
    const r = await signIn(s2, 1, await allowed.hashOf(1));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.user.name, "Виктор");
  } finally {
    await s2.close();
    await allowed.close();
  }
});

Deno.test("php host: 02, 002, 2abc and 2_x with user 2's key are not user 2, so bans and blocks of 2 hold", async () => {
  const host = await startPhpHost();
  const s = await startParley(host);
  try {
    const key2 = await host.hashOf(2);
    // PHP's (int) really answers user 2's hash and profile for every one of them.
    for (const id of ["02", "002", "2abc", "2_x"]) {
      const r = await fetch(host.hashUrl, { method: "POST", body: new URLSearchParams({ id }) });
      assert.equal((await r.text()).trim(), key2, id);
    }
    const viktor = await signIn(s, 1, await host.hashOf(1));
    assert.equal(
      (await manage(s.url, "PUT", "/users/2/ban", { json: { reason: "spam" } })).status,
      200,
    );
    const blocked = await api(s.url, "PUT", "/api/v1/blocks/2", { token: viktor.body.token });
    assert.equal(blocked.status, 200);

    for (const id of ["02", "002"]) {
      const r = await signIn(s, id, key2);
      assert.equal(r.status, 400, id);
      assert.equal(r.body.error.code, "invalid_user_id");
      assert.match(r.body.error.message, /leading zeros/);
    }
    for (const id of ["2abc", "2_x"]) {
      const r = await signIn(s, id, key2);
      assert.equal(r.status, 403, `${id}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, "not_a_chat_user");
    }
    // The real user 2 signs in, banned; nothing of that is lost through another spelling.
    const lena = await signIn(s, 2, key2);
    assert.equal(lena.status, 200);
    assert.deepEqual([lena.body.user.banned, lena.body.user.read_only], [true, true]);
    const refused = await api<Err>(s.url, "POST", "/api/v1/dialogs/1/messages", {
      token: lena.body.token,
      json: { text: "hi" },
    });
    assert.equal(refused.status, 403);
    // The other doors take no padded id either: ban, block, dialogs.
    assert.equal((await manage(s.url, "PUT", "/users/02/ban")).status, 400);
    assert.equal(
      (await api(s.url, "PUT", "/api/v1/blocks/02", { token: viktor.body.token })).status,
      400,
    );
    assert.equal(
      (await api(s.url, "GET", "/api/v1/dialogs/002/messages", { token: viktor.body.token }))
        .status,
      400,
    );
  } finally {
    await s.close();
    await host.close();
  }
});
