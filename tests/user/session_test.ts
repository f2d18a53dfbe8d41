import assert from "node:assert/strict";
import { api, login, startHostSite, startServer, userKey } from "../support/helpers.ts";

type Err = { error: { code: string; message: string; field?: string } };
type SessionBody = {
  token: string;
  expires_at: string;
  user: {
    user_id: string;
    name: string;
    read_only: boolean;
    error: string;
    avatar_url: string | null;
  };
};

Deno.test("signed mode: the HMAC user_key opens a session; a wrong key is 401", async () => {
  const s = await startServer();
  try {
    const ok = await api<SessionBody>(s.url, "POST", "/api/v1/session", {
      json: { user_id: "42", user_key: await userKey("42") },
    });
    assert.equal(ok.status, 200);
    assert.match(ok.body.token, /^[A-Za-z0-9_-]{40,}$/);
    assert.ok(Date.parse(ok.body.expires_at) > Date.now());
    assert.equal(ok.body.user.user_id, "42");

    // Numeric ids like the original's are accepted and normalised.
    const numeric = await api<SessionBody>(s.url, "POST", "/api/v1/session", {
      json: { user_id: 42, user_key: await userKey("42") },
    });
    assert.equal(numeric.status, 200);
    assert.equal(numeric.body.user.user_id, "42");

    const bad = await api<Err>(s.url, "POST", "/api/v1/session", {
      json: { user_id: "42", user_key: await userKey("43") },
    });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, "unauthorized");

    const token = ok.body.token;
    const me = await api(s.url, "GET", "/api/v1/unread", { token });
    assert.equal(me.status, 200);
    const noToken = await api<Err>(s.url, "GET", "/api/v1/unread");
    assert.equal(noToken.status, 401);
    const forged = await api<Err>(s.url, "GET", "/api/v1/unread", {
      token: token.slice(0, -2) + "xx",
    });
    assert.equal(forged.status, 401);
  } finally {
    await s.close();
  }
});

Deno.test("callback mode: the original's form-encoded contract, cached, read-only users", async () => {
  const host = startHostSite(
    {
      "1": {
        user_id: 1,
        name: "Виктор",
        login: "victor",
        avatar_url: "/img/v.png",
        city: "Владивосток",
        age: 24,
        status: "active",
      },
      "2": {
        user_id: 2,
        name: "Лена <b>",
        login: "lena",
        avatar_url: "javascript:alert(1)",
        age: "25",
      },
      "3": { user_id: 3, name: "Paywalled", login: "p", error: "Оплатите подписку, чтобы писать" },
    },
    {
      "1": "56ff3f23bfd1071e14749aad42e58d89",
      "2": "hash-two-0123456789ab",
      "3": "hash-three-0123456789",
    },
  );
  const s = await startServer({
    PARLEY_AUTH_SECRET: "",
    PARLEY_USERS_HASH_URL: host.hashUrl,
    PARLEY_USERS_INFO_URL: host.infoUrl,
  });
  try {
    const r = await api<SessionBody>(s.url, "POST", "/api/v1/session", {
      json: { user_id: 1, user_key: "56ff3f23bfd1071e14749aad42e58d89" },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.user.name, "Виктор");
    // Relative avatars are resolved against the callback URL; only http(s) survives.
    assert.equal(r.body.user.avatar_url, host.infoUrl.replace("/users-info", "/img/v.png"));
    assert.deepEqual(host.calls.hash, ["1"]);
    assert.deepEqual(host.calls.info, ["1"]);
    assert.ok(host.calls.contentTypes.every((t) => t === "application/x-www-form-urlencoded"));

    // A second sign-in within the cache window asks the host nothing.
    const again = await api(s.url, "POST", "/api/v1/session", {
      json: { user_id: "1", user_key: "56ff3f23bfd1071e14749aad42e58d89" },
    });
    assert.equal(again.status, 200);
    assert.equal(host.calls.hash.length, 1);
    assert.equal(host.calls.info.length, 1);

    const wrong = await api<Err>(s.url, "POST", "/api/v1/session", {
      json: { user_id: "2", user_key: "nope" },
    });
    assert.equal(wrong.status, 401);

    const lena = await api<SessionBody>(s.url, "POST", "/api/v1/session", {
      json: { user_id: "2", user_key: "hash-two-0123456789ab" },
    });
    assert.equal(lena.body.user.name, "Лена <b>", "host fields are data, kept as text");
    assert.equal(lena.body.user.avatar_url, null, "javascript: avatars are dropped");

    // A non-empty `error` means read-only: sign in works, sending is refused with the host's text.
    const paywalled = await api<SessionBody>(s.url, "POST", "/api/v1/session", {
      json: { user_id: "3", user_key: "hash-three-0123456789" },
    });
    assert.equal(paywalled.body.user.read_only, true);
    assert.equal(paywalled.body.user.error, "Оплатите подписку, чтобы писать");
    const sendTry = await api<Err>(s.url, "POST", "/api/v1/dialogs/1/messages", {
      token: paywalled.body.token,
      json: { text: "hi" },
    });
    assert.equal(sendTry.status, 403);
    assert.equal(sendTry.body.error.code, "read_only");
    assert.equal(sendTry.body.error.message, "Оплатите подписку, чтобы писать");
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("callback mode: a host that fails or answers garbage gives a clear 502, never a crash", async () => {
  const down = startHostSite({ "1": { user_id: 1 } }, {}, { hashStatus: 500 });
  const s = await startServer({
    PARLEY_AUTH_SECRET: "",
    PARLEY_USERS_HASH_URL: down.hashUrl,
    PARLEY_USERS_INFO_URL: down.infoUrl,
  });
  try {
    const r = await api<Err>(s.url, "POST", "/api/v1/session", {
      json: { user_id: "1", user_key: "x" },
    });
    assert.equal(r.status, 502);
    assert.equal(r.body.error.code, "host_unavailable");
    assert.match(r.body.error.message, /URL_getUsersHash/);
  } finally {
    await s.close();
    await down.close();
  }

  const key = "k1-0123456789abcdef";
  const garbage = startHostSite({}, { "1": key }, { infoBody: () => "<html>Fatal error</html>" });
  const s2 = await startServer({
    PARLEY_AUTH_SECRET: "",
    PARLEY_USERS_HASH_URL: garbage.hashUrl,
    PARLEY_USERS_INFO_URL: garbage.infoUrl,
  });
  try {
    // The key is right, but without a users-info answer nobody can confirm the id: 502.
    const r = await api<Err>(s2.url, "POST", "/api/v1/session", {
      json: { user_id: "1", user_key: key },
    });
    assert.equal(r.status, 502);
    assert.equal(r.body.error.code, "host_unavailable");
    assert.match(r.body.error.message, /URL_getUsersInfo/);
  } finally {
    await s2.close();
    await garbage.close();
  }
});

Deno.test("session: bad input is a 4xx naming the field", async () => {
  const s = await startServer();
  try {
    const cases: [unknown, number, string, string | undefined][] = [
      [{ user_id: "a b", user_key: "x" }, 400, "invalid_user_id", "user_id"],
      [{ user_id: "a".repeat(65), user_key: "x" }, 400, "invalid_user_id", "user_id"],
      [{ user_id: "a" }, 400, "invalid_user_key", "user_key"],
      [{ user_id: "system", user_key: "x" }, 401, "unauthorized", undefined],
    ];
    for (const [json, status, code, field] of cases) {
      const r = await api<Err>(s.url, "POST", "/api/v1/session", { json });
      assert.equal(r.status, status, JSON.stringify(json));
      assert.equal(r.body.error.code, code);
      assert.equal(r.body.error.field, field);
    }
    await login(s.url, "fine");
  } finally {
    await s.close();
  }
});
