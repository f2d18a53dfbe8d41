import assert from "node:assert/strict";
import { OWN } from "../../kv/keys.ts";
import { api, login, startServer } from "../support/helpers.ts";

type Err = { error: { code: string; message: string; field?: string } };

Deno.test("bad input gets a clear 4xx JSON error and stores nothing", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const post = (
      path: string,
      init: { json?: unknown; body?: string; headers?: Record<string, string> },
    ) => api<Err>(s.url, "POST", path, { token: a, ...init });
    const cases: [string, Awaited<ReturnType<typeof post>>, number, string, string?][] = [
      [
        "self",
        await post("/api/v1/dialogs/a/messages", { json: { text: "me" } }),
        400,
        "self_dialog",
        "peer",
      ],
      [
        "empty",
        await post("/api/v1/dialogs/b/messages", { json: { text: "   " } }),
        400,
        "empty_text",
        "text",
      ],
      [
        "too long",
        await post("/api/v1/dialogs/b/messages", { json: { text: "я".repeat(4001) } }),
        400,
        "text_too_long",
        "text",
      ],
      [
        "not string",
        await post("/api/v1/dialogs/b/messages", { json: { text: 5 } }),
        400,
        "invalid_text",
        "text",
      ],
      [
        "bad peer",
        await post("/api/v1/dialogs/b%20c/messages", { json: { text: "x" } }),
        400,
        "invalid_user_id",
        "peer",
      ],
      [
        "system",
        await post("/api/v1/dialogs/system/messages", { json: { text: "x" } }),
        400,
        "system_no_reply",
        "peer",
      ],
      [
        "malformed",
        await post("/api/v1/dialogs/b/messages", {
          body: "{nope",
          headers: { "content-type": "application/json" },
        }),
        400,
        "invalid_json",
      ],
      [
        "array",
        await post("/api/v1/dialogs/b/messages", {
          body: "[1]",
          headers: { "content-type": "application/json" },
        }),
        400,
        "invalid_json",
      ],
      [
        "oversized",
        await post("/api/v1/session", {
          body: JSON.stringify({ x: "y".repeat(70_000) }),
          headers: { "content-type": "application/json" },
        }),
        413,
        "body_too_large",
      ],
      [
        "bad up_to",
        await post("/api/v1/dialogs/b/read", { json: { up_to: "zzz" } }),
        400,
        "invalid_up_to",
        "up_to",
      ],
      [
        "unknown up_to",
        await post("/api/v1/dialogs/b/read", { json: { up_to: "01ARZ3NDEKTSV4RRFFQ69G5FAV" } }),
        404,
        "not_found",
        "up_to",
      ],
    ];
    for (const [name, r, status, code, field] of cases) {
      assert.equal(r.status, status, name);
      assert.match(r.headers.get("content-type")!, /application\/json/, name);
      assert.equal(r.body.error.code, code, name);
      assert.equal(typeof r.body.error.message, "string", name);
      assert.equal(r.body.error.field, field, name);
    }
    const limit = await api<Err>(s.url, "GET", "/api/v1/dialogs/b/messages?limit=0", { token: a });
    assert.equal(limit.status, 400);
    assert.equal(limit.body.error.field, "limit");
    const page = await api<Err>(s.url, "GET", "/api/v1/dialogs/b/messages?before=xyz", {
      token: a,
    });
    assert.equal(page.body.error.field, "before");

    const unknown = await api<Err>(s.url, "GET", "/api/v1/nothing-here");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "not_found");

    // Nothing was stored by any of the failures.
    const dialogs = await api<{ dialogs: unknown[] }>(s.url, "GET", "/api/v1/dialogs", {
      token: a,
    });
    assert.deepEqual(dialogs.body.dialogs, []);
    const keys = [];
    for await (const e of s.parley.deps.kv.list({ prefix: [] })) {
      if (e.key[0] === OWN && e.key[2] === "msg") keys.push(e.key);
    }
    assert.deepEqual(keys, []);
  } finally {
    await s.close();
  }
});

Deno.test("health check and CORS preflight", async () => {
  const s = await startServer();
  try {
    const h = await api<{ ok: boolean }>(s.url, "GET", "/healthz");
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, { ok: true });
    const pre = await fetch(`${s.url}/api/v1/dialogs`, {
      method: "OPTIONS",
      headers: {
        origin: "https://site.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    await pre.body?.cancel();
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "*");
  } finally {
    await s.close();
  }
});

Deno.test("PARLEY_ALLOWED_ORIGINS limits which sites may call the API from a browser", async () => {
  const s = await startServer({ PARLEY_ALLOWED_ORIGINS: "https://good.example" });
  try {
    const ask = async (origin: string) => {
      const r = await fetch(`${s.url}/api/v1/unread`, {
        headers: { origin },
      });
      await r.body?.cancel();
      return r.headers.get("access-control-allow-origin");
    };
    assert.equal(await ask("https://good.example"), "https://good.example");
    assert.equal(await ask("https://evil.example"), null);
  } finally {
    await s.close();
  }
});
