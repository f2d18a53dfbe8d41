import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { sha256Hex } from "../../services/core/crypto.ts";
import { api, login, send, SseClient, ticket } from "../support/helpers.ts";
import { dumpKv, manage, startManaged } from "../support/manage_helpers.ts";

type Err = { error: { code: string; message: string; field?: string } };

async function session(base: string, uid: string, key: string) {
  return await api<{ token: string; user: Record<string, unknown> } & Err>(
    base,
    "POST",
    "/api/v1/session",
    { json: { user_id: uid, user_key: key } },
  );
}

/** Reads a raw SSE response until the server ends it; false if still open after `ms`. */
async function endsWithin(res: Response, ms: number): Promise<boolean> {
  const reader = res.body!.getReader();
  const timeout = new Promise<"open">((r) => setTimeout(() => r("open"), ms));
  while (true) {
    const got = await Promise.race([reader.read(), timeout]);
    if (got === "open") {
      await reader.cancel();
      return false;
    }
    if (got.done) return true;
  }
}

Deno.test("manage login registers a user's key (stored hashed); logout revokes it and every session", async () => {
  // No signed mode: only keys registered through the manage API work.
  const s = await startManaged({ PARLEY_AUTH_SECRET: "" });
  try {
    assert.equal((await session(s.url, "u1", "site-hash-123")).status, 401);
    const r = await manage(s.url, "POST", "/users/u1/login", {
      json: { user_key: "site-hash-123" },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { user_id: "u1", logged_in: true });
    const stored = (await s.parley.deps.kv.get<string>(keys.userKey("u1"))).value;
    assert.equal(stored, await sha256Hex("site-hash-123"));
    const dump = JSON.stringify((await dumpKv(s.parley.deps.kv)).map((e) => e.value));
    assert.equal(dump.includes("site-hash-123"), false, "the key itself is never stored");

    const a = await session(s.url, "u1", "site-hash-123");
    assert.equal(a.status, 200);
    assert.equal((await session(s.url, "u1", "another")).status, 401);
    const b = await session(s.url, "u1", "site-hash-123");
    const stream = await fetch(
      `${s.url}/api/v1/events?ticket=${await ticket(s.url, a.body.token, "events")}`,
    );
    assert.equal(stream.status, 200);

    const out = await manage(s.url, "POST", "/users/u1/logout");
    assert.equal(out.status, 200);
    assert.deepEqual(out.body, { user_id: "u1", logged_in: false, sessions_revoked: 2 });
    assert.equal(await endsWithin(stream, 3000), true, "the open SSE stream ends");
    for (const token of [a.body.token, b.body.token]) {
      assert.equal((await api(s.url, "GET", "/api/v1/dialogs", { token })).status, 401);
    }
    assert.equal((await session(s.url, "u1", "site-hash-123")).status, 401);
  } finally {
    await s.close();
  }
});

Deno.test("manage login/logout validate the id and the key", async () => {
  const s = await startManaged();
  try {
    const cases: [string, unknown, number, string, string | undefined][] = [
      ["/users/u1/login", {}, 400, "invalid_user_key", "user_key"],
      ["/users/u1/login", { user_key: "" }, 400, "invalid_user_key", "user_key"],
      ["/users/u1/login", { user_key: 42 }, 400, "invalid_user_key", "user_key"],
      ["/users/u1/login", { user_key: "x".repeat(513) }, 400, "invalid_user_key", "user_key"],
      ["/users/bad%20id/login", { user_key: "k" }, 400, "invalid_user_id", "id"],
      ["/users/system/login", { user_key: "k" }, 400, "reserved_user_id", "id"],
      ["/users/system/logout", undefined, 400, "reserved_user_id", "id"],
    ];
    for (const [path, json, status, code, field] of cases) {
      const r = await manage<Err>(s.url, "POST", path, { json });
      assert.equal(r.status, status, `${path} ${JSON.stringify(json)}`);
      assert.equal(r.body.error.code, code);
      assert.equal(r.body.error.field, field);
    }
    const notJson = await manage<Err>(s.url, "POST", "/users/u1/login", {
      body: "user_key=k",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error.code, "unsupported_content_type");
  } finally {
    await s.close();
  }
});

Deno.test("manage PUT /users/:id stores the profile that other users then see", async () => {
  const s = await startManaged();
  try {
    const profile = {
      name: "Мария Иванова",
      login: "masha",
      avatar_url: "https://example.com/a/masha.png",
      city: "Казань",
      age: "29",
      status: "online soon",
    };
    const r = await manage<{ user: Record<string, unknown> }>(s.url, "PUT", "/users/m1", {
      json: profile,
    });
    assert.equal(r.status, 200);
    assert.deepEqual(
      { ...r.body.user, fetched_at: "" },
      { user_id: "m1", ...profile, age: 29, error: "", source: "api", fetched_at: "" },
    );
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "m1", "hi");
    const list = await api<{ dialogs: { user: Record<string, unknown> }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs",
      { token: bob },
    );
    assert.deepEqual(list.body.dialogs[0].user, { user_id: "m1", ...profile, age: 29 });

    // `error` makes the user read-only, as the callback's does.
    await manage(s.url, "PUT", "/users/m1", { json: { name: "Maria", error: "Pay first" } });
    const m1 = await login(s.url, "m1");
    const denied = await api<Err>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: m1,
      json: { text: "hello" },
    });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body.error, { code: "read_only", message: "Pay first" });

    // The system sender's profile may be named too.
    const sys = await manage(s.url, "PUT", "/users/system", { json: { name: "Site team" } });
    assert.equal(sys.status, 200);
  } finally {
    await s.close();
  }
});

Deno.test("manage PUT /users/:id refuses bad fields, naming each", async () => {
  const s = await startManaged();
  try {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ avatar_url: "javascript:alert(1)" }, "invalid_avatar_url", "avatar_url"],
      [{ avatar_url: "/relative.png" }, "invalid_avatar_url", "avatar_url"],
      [{ avatar_url: 5 }, "invalid_avatar_url", "avatar_url"],
      [{ age: 151 }, "invalid_age", "age"],
      [{ age: 2.5 }, "invalid_age", "age"],
      [{ age: "old" }, "invalid_age", "age"],
      [{ name: "x".repeat(101) }, "invalid_name", "name"],
      [{ name: { first: "A" } }, "invalid_name", "name"],
      [{ login: ["a"] }, "invalid_login", "login"],
      [{ city: true }, "invalid_city", "city"],
      [{ status: "s".repeat(101) }, "invalid_status", "status"],
      [{ error: "e".repeat(501) }, "invalid_error", "error"],
      [{ nmae: "typo" }, "unknown_field", "nmae"],
      [{ user_id: "someone-else" }, "user_id_mismatch", "user_id"],
    ];
    for (const [json, code, field] of cases) {
      const r = await manage<Err>(s.url, "PUT", "/users/m1", { json });
      assert.equal(r.status, 400, JSON.stringify(json));
      assert.equal(r.body.error.code, code, JSON.stringify(json));
      assert.equal(r.body.error.field, field);
    }
    const arr = await manage<Err>(s.url, "PUT", "/users/m1", { json: [] });
    assert.equal(arr.body.error.code, "invalid_json");
    assert.equal((await s.parley.deps.kv.get(keys.user("m1"))).value, null, "nothing stored");
    // user_id equal to the URL's (numeric, as PHP sends it) is fine.
    assert.equal((await manage(s.url, "PUT", "/users/42", { json: { user_id: 42 } })).status, 200);
  } finally {
    await s.close();
  }
});

Deno.test("manage system message reaches the user live, marked system, and cannot be answered", async () => {
  const s = await startManaged();
  try {
    const u = await login(s.url, "u5");
    const sse = await SseClient.open(s.url, u);
    await sse.waitFor((e) => e.event === "ready");
    const r = await manage<{ message: Record<string, unknown> }>(
      s.url,
      "POST",
      "/users/u5/system-message",
      { json: { text: "  Your order #12 has shipped  " } },
    );
    assert.equal(r.status, 201);
    const m = r.body.message;
    assert.equal(m.from, "system");
    assert.equal(m.to, "u5");
    assert.equal(m.kind, "system");
    assert.equal(m.text, "Your order #12 has shipped");
    const live = await sse.waitFor((e) => e.event === "message");
    assert.deepEqual(live.data, m);
    await sse.close();

    const list = await api<{ dialogs: { peer: string; unread: number }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs",
      { token: u },
    );
    assert.deepEqual(list.body.dialogs.map((d) => [d.peer, d.unread]), [["system", 1]]);
    const reply = await api<Err>(s.url, "POST", "/api/v1/dialogs/system/messages", {
      token: u,
      json: { text: "thanks" },
    });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error.code, "system_no_reply");

    const bad: [string, unknown, string, string][] = [
      ["/users/u5/system-message", { text: "   " }, "empty_text", "text"],
      ["/users/u5/system-message", { text: "x".repeat(4001) }, "text_too_long", "text"],
      ["/users/u5/system-message", { text: 7 }, "invalid_text", "text"],
      ["/users/system/system-message", { text: "hi" }, "reserved_user_id", "id"],
    ];
    for (const [path, json, code, field] of bad) {
      const e = await manage<Err>(s.url, "POST", path, { json });
      assert.equal(e.status, 400);
      assert.equal(e.body.error.code, code);
      assert.equal(e.body.error.field, field);
    }
  } finally {
    await s.close();
  }
});

Deno.test("manage unread gives the server-side counts, total and per sender", async () => {
  const s = await startManaged();
  try {
    const [alice, bob, carol] = await Promise.all(
      ["alice", "bob", "carol"].map((u) => login(s.url, u)),
    );
    await send(s.url, alice, "bob", "one");
    const last = await send(s.url, alice, "bob", "two");
    await send(s.url, carol, "bob", "three");
    await send(s.url, bob, "alice", "not counted for bob");
    const r = await manage(s.url, "GET", "/users/bob/unread");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { total: 3, by_user: { alice: 2, carol: 1 } });
    await api(s.url, "POST", "/api/v1/dialogs/alice/read", {
      token: bob,
      json: { up_to: last.id },
    });
    assert.deepEqual((await manage(s.url, "GET", "/users/bob/unread")).body, {
      total: 1,
      by_user: { carol: 1 },
    });
    assert.deepEqual((await manage(s.url, "GET", "/users/nobody/unread")).body, {
      total: 0,
      by_user: {},
    });
    const bad = await manage<Err>(s.url, "GET", "/users/%F0%9F%98%80/unread");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, "id");
  } finally {
    await s.close();
  }
});
