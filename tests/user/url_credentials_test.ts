/**
 * No credential in a URL: every route that needs a signed-in caller refuses `?token=` (the
 * session token is taken from the Authorization header only), and a ticket works only on the one
 * route of its purpose. The route table is walked, so a route added later is covered too.
 */
import assert from "node:assert/strict";
import { revokeSessions } from "../../kv/people/sessions.ts";
import { createApp } from "../../routes/app.ts";
import { login, startServer, ticket } from "../support/helpers.ts";

const ULID = "01JABCDEFGHJKMNPQRSTVWXYZ0";

/** Every concrete method + path of the app, with sample values for its parameters. */
function routeTable(app: ReturnType<typeof createApp>): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of app.routes) {
    if (!["GET", "POST", "PUT", "DELETE"].includes(r.method) || r.path.includes("*")) continue;
    const path = r.path.replace(
      /:(\w+)(\{[^}]*\})?/g,
      (_, name: string) => /peer|user|uid/i.test(name) ? "bob" : ULID,
    );
    const k = `${r.method} ${path}`;
    if (!seen.has(k)) out.push({ method: r.method, path }), seen.add(k);
  }
  return out;
}

async function status(url: string, method: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: method === "GET" ? undefined : "{}",
  });
  await res.body?.cancel();
  return res.status;
}

Deno.test("URLs: no route takes ?token=, and a ticket opens only its own route", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "root" });
  try {
    const routes = routeTable(createApp(s.parley.deps));
    let guarded = 0;
    let viaHeader = 0;
    for (const { method, path } of routes) {
      const url = s.url + path;
      if (await status(url, method) !== 401) continue;
      guarded++;
      // A fresh session per route: one of them is the sign-out.
      const token = await login(s.url, "root");
      const images = await ticket(s.url, token, "images");
      const q = url.includes("?") ? "&" : "?";
      // The session token never works in the query...
      assert.equal(await status(`${url}${q}token=${token}`, method), 401, `${method} ${path}`);
      assert.equal(await status(`${url}${q}access_token=${token}`, method), 401, path);
      const isImage = method === "GET" && path.startsWith("/api/v1/attachments/");
      // A ticket opens the one route of its purpose, and nothing else.
      const own = isImage ? "images" : path === "/api/v1/events" ? "events" : null;
      for (const purpose of ["images", "events"]) {
        const t = purpose === "images" ? images : await ticket(s.url, token, purpose);
        const got = await status(`${url}${q}ticket=${t}`, method);
        if (purpose === own) assert.notEqual(got, 401, `${purpose} ticket on ${path}`);
        else assert.equal(got, 401, `${purpose} ticket on ${method} ${path}`);
      }
      // ...only in the header (last: one of the routes is the sign-out).
      if (await status(url, method, { authorization: `Bearer ${token}` }) !== 401) viaHeader++;
    }
    // The walk really covered the API (dialogs, admin, events, attachments, tickets…).
    assert.ok(guarded >= 25, `only ${guarded} guarded routes found`);
    assert.ok(viaHeader >= guarded - 2, `only ${viaHeader} of ${guarded} took the header`);
  } finally {
    await s.close();
  }
});

Deno.test("tickets: one purpose, short-lived, events spent on use, ended with the session", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "root" });
  try {
    const token = await login(s.url, "bob");
    const post = (json: unknown, t = token) =>
      fetch(`${s.url}/api/v1/tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${t}`, "content-type": "application/json" },
        body: JSON.stringify(json),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const made = await post({ purpose: "events" });
    assert.equal(made.status, 200);
    assert.equal(made.body.purpose, "events");
    const life = Date.parse(made.body.expires_at) - Date.now();
    assert.ok(life > 50_000 && life <= 60_000, `an events ticket lives a minute, got ${life} ms`);
    const bad = await post({ purpose: "everything" });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, "purpose");
    assert.equal((await post({ purpose: "events" }, "nope")).status, 401);

    // Spent by its first use: a copy of the URL is useless afterwards.
    const url = `${s.url}/api/v1/events?ticket=${made.body.ticket}`;
    const first = await fetch(url);
    assert.equal(first.status, 200);
    await first.body?.cancel();
    assert.equal(await status(url, "GET"), 401);

    // An image ticket serves many loads, and dies with its session.
    const img = (await post({ purpose: "images" })).body;
    const imgLife = Date.parse(img.expires_at) - Date.now();
    assert.ok(imgLife > 9 * 60_000 && imgLife <= 10 * 60_000);
    const imgUrl = `${s.url}/api/v1/attachments/${ULID}?ticket=${img.ticket}`;
    assert.equal(await status(imgUrl, "GET"), 404);
    assert.equal(await status(imgUrl, "GET"), 404);
    await revokeSessions(s.parley.deps.kv, "bob");
    assert.equal(await status(imgUrl, "GET"), 401);
  } finally {
    await s.close();
  }
});

Deno.test("tickets: counted against their rate limit in their own write; of 8 concurrent uses of one events ticket one opens", async () => {
  const s = await startServer({ PARLEY_RATE_TICKETS: "3/1m" });
  try {
    const token = await login(s.url, "bob");
    const post = () =>
      fetch(`${s.url}/api/v1/tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ purpose: "events" }),
      }).then(async (r) => ({ status: r.status, body: await r.json(), retry: r.headers }));
    // Five at once: three are counted and made, two refused with Retry-After; none lost.
    const made = await Promise.all(Array.from({ length: 5 }, post));
    assert.deepEqual(made.map((m) => m.status).sort(), [200, 200, 200, 429, 429]);
    for (const m of made.filter((m) => m.status === 429)) {
      assert.equal(m.body.error.code, "rate_limited");
      assert.ok(Number(m.retry.get("retry-after")) >= 1);
    }
    const url = `${s.url}/api/v1/events?ticket=${made.find((m) => m.status === 200)!.body.ticket}`;
    const uses = await Promise.all(Array.from({ length: 8 }, () => fetch(url)));
    assert.deepEqual(uses.map((r) => r.status).sort(), [200, 401, 401, 401, 401, 401, 401, 401]);
    for (const r of uses) await r.body?.cancel();
  } finally {
    await s.close();
  }
});
