/**
 * The API's CORS (routes/cors.ts) answers every kind of request with the headers Hono's cors
 * middleware gives with the same options, while each response is built once.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { apiCors } from "../../routes/cors.ts";
import { api, login, startServer } from "../support/helpers.ts";

/** A small app with the kinds of response the API has: JSON, an error, a raw stream, text. */
function appWith(mw: ReturnType<typeof apiCors>) {
  const app = new Hono();
  app.use("/api/*", mw);
  app.get("/api/json", (c) => c.json({ ok: true }));
  app.post("/api/json", (c) => c.json({ ok: true }, 201));
  app.get("/api/fail", () => {
    throw new Error("refused");
  });
  app.get("/api/stream", () =>
    new Response(new ReadableStream({ start: (c) => c.close() }), {
      headers: { "content-type": "text/event-stream" },
    }));
  app.get("/api/text", (c) => c.text("plain"));
  app.notFound((c) => c.json({ error: { code: "not_found" } }, 404));
  app.onError((_e, c) => c.json({ error: { code: "refused" } }, 429, { "Retry-After": "3" }));
  return app;
}

const honoCors = (origins: string[]) =>
  cors({
    origin: origins.length === 0 || origins.includes("*") ? "*" : origins,
    allowHeaders: ["Authorization", "Content-Type", "Last-Event-ID"],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    exposeHeaders: ["Retry-After"],
    maxAge: 600,
  });

/** Status and every header that is not the body's own. */
async function answer(app: Hono, method: string, path: string, headers: Record<string, string>) {
  const res = await app.request(path, { method, headers });
  await res.body?.cancel();
  const kept = [...res.headers].filter(([k]) => k !== "content-length");
  return { status: res.status, headers: Object.fromEntries(kept.sort()) };
}

Deno.test("cors: the same headers as Hono's cors for every origin setting, request origin, method and kind of response", async () => {
  for (
    const origins of [[], ["*"], ["https://site.example"], [
      "https://a.example",
      "https://site.example",
    ]]
  ) {
    const ours = appWith(apiCors(origins));
    const hono = appWith(honoCors(origins));
    for (const origin of ["https://site.example", "https://evil.example", null]) {
      for (
        const [method, path] of [
          ["GET", "/api/json"],
          ["POST", "/api/json"],
          ["GET", "/api/fail"],
          ["GET", "/api/stream"],
          ["GET", "/api/text"],
          ["GET", "/api/nowhere"],
          ["OPTIONS", "/api/json"],
        ]
      ) {
        const headers: Record<string, string> = origin ? { origin } : {};
        if (method === "OPTIONS") {
          headers["access-control-request-method"] = "POST";
          headers["access-control-request-headers"] = "authorization, content-type";
        }
        const what = `${JSON.stringify(origins)} ${origin} ${method} ${path}`;
        const a = await answer(ours, method, path, headers);
        const b = await answer(hono, method, path, headers);
        assert.deepEqual(a, b, what);
        if (origin === "https://site.example") {
          assert.ok(a.headers["access-control-allow-origin"], `${what}: no allow-origin`);
        }
      }
    }
  }
});

Deno.test("cors: the real API answers the widget's cross-origin calls, errors included", async () => {
  const s = await startServer({ PARLEY_ALLOWED_ORIGINS: "https://site.example" });
  try {
    const a = await login(s.url, "a");
    const site = { origin: "https://site.example" };
    const ok = await api(s.url, "GET", "/api/v1/unread", { token: a, headers: site });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://site.example");
    assert.equal(ok.headers.get("access-control-expose-headers"), "Retry-After");
    assert.match(ok.headers.get("vary") ?? "", /Origin/);
    const bad = await api(s.url, "GET", "/api/v1/unread", { token: "nope", headers: site });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get("access-control-allow-origin"), "https://site.example");
    const other = await api(s.url, "GET", "/api/v1/unread", {
      token: a,
      headers: { origin: "https://evil.example" },
    });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const pre = await fetch(`${s.url}/api/v1/dialogs/b/messages`, {
      method: "OPTIONS",
      headers: { ...site, "access-control-request-method": "POST" },
    });
    await pre.body?.cancel();
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get("access-control-allow-methods") ?? "", /POST/);
    assert.match(pre.headers.get("access-control-allow-headers") ?? "", /Authorization/);
  } finally {
    await s.close();
  }
});

Deno.test("cors: a JSON answer is built as one Response (Hono's cors builds three)", async () => {
  const RealResponse = globalThis.Response;
  let built = 0;
  globalThis.Response = new Proxy(RealResponse, {
    construct(target, args, newTarget) {
      built++;
      return Reflect.construct(target, args, newTarget);
    },
  });
  try {
    const count = async (app: Hono) => {
      built = 0;
      const res = await app.request("/api/json", { headers: { origin: "https://site.example" } });
      await res.body?.cancel();
      return built;
    };
    assert.equal(await count(appWith(apiCors(["https://site.example"]))), 1);
    assert.equal(await count(appWith(apiCors([]))), 1);
    assert.ok(await count(appWith(honoCors(["https://site.example"]))) >= 2);
  } finally {
    globalThis.Response = RealResponse;
  }
});
