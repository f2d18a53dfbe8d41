import assert from "node:assert/strict";
import { loadConfig } from "../../services/core/config.ts";
import { api, API_SECRET, AUTH_SECRET, startServer } from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

type Err = { error: { code: string; message: string; field?: string } };
const PROBE = "/users/alice/unread";

Deno.test("manage: off unless both PARLEY_API_SECRET and PARLEY_TRUSTED_IPS are set", async () => {
  const envs: Record<string, string>[] = [
    {},
    { PARLEY_TRUSTED_IPS: "127.0.0.1", PARLEY_API_SECRET: "" },
  ];
  for (const env of envs) {
    const s = await startServer(env);
    try {
      const r = await manage<Err>(s.url, "GET", PROBE);
      assert.equal(r.status, 403);
      assert.match(r.headers.get("content-type")!, /application\/json/);
      assert.equal(r.body.error.code, "manage_disabled");
      assert.match(r.body.error.message, /PARLEY_API_SECRET and PARLEY_TRUSTED_IPS/);
    } finally {
      await s.close();
    }
  }
});

Deno.test("manage: a trusted address still needs the secret (401), compared exactly", async () => {
  const s = await startManaged();
  try {
    const wrong: Record<string, string>[] = [
      {},
      { authorization: "" },
      { authorization: "Bearer " },
      { authorization: `Basic ${API_SECRET}` },
      { authorization: `Bearer ${API_SECRET}x` },
      { authorization: `Bearer ${API_SECRET.slice(0, -1)}X` },
      { authorization: `Bearer ${AUTH_SECRET}` },
    ];
    for (const headers of wrong) {
      const r = await api<Err>(s.url, "GET", `/api/v1/manage${PROBE}`, { headers });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.body.error.code, "unauthorized");
      assert.equal(r.headers.get("www-authenticate"), 'Bearer realm="parley-manage"');
    }
    const ok = await manage(s.url, "GET", PROBE);
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { total: 0, by_user: {} });
  } finally {
    await s.close();
  }
});

Deno.test("manage: the right secret from an untrusted address is 403 ip_not_trusted", async () => {
  const s = await startServer({ PARLEY_TRUSTED_IPS: "10.0.0.0/8, ::1" });
  try {
    const r = await manage<Err>(s.url, "GET", PROBE);
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, "ip_not_trusted");
    assert.equal(r.body.error.message, "127.0.0.1 is not in PARLEY_TRUSTED_IPS");
    // The address is checked first: a wrong secret from there learns nothing more.
    const both = await manage<Err>(s.url, "GET", PROBE, { headers: { authorization: "Bearer x" } });
    assert.equal(both.status, 403);
    assert.equal(both.body.error.code, "ip_not_trusted");
  } finally {
    await s.close();
  }
});

Deno.test("manage: an IPv4-mapped IPv6 entry admits the IPv4 client", async () => {
  const s = await startServer({ PARLEY_TRUSTED_IPS: "::ffff:127.0.0.0/104" });
  try {
    assert.equal((await manage(s.url, "GET", PROBE)).status, 200);
  } finally {
    await s.close();
  }
});

Deno.test("manage: X-Forwarded-For is ignored unless PARLEY_TRUST_PROXY is set", async () => {
  const trusted = { PARLEY_TRUSTED_IPS: "203.0.113.0/24" };
  const xff = (v: string) => ({ headers: { "x-forwarded-for": v } });
  const direct = await startServer(trusted);
  try {
    // Anyone can send the header; without a trusted proxy it must not count.
    const r = await manage<Err>(direct.url, "GET", PROBE, xff("203.0.113.9"));
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, "ip_not_trusted");
  } finally {
    await direct.close();
  }
  const oneProxy = await startServer({ ...trusted, PARLEY_TRUST_PROXY: "1" });
  try {
    assert.equal((await manage(oneProxy.url, "GET", PROBE, xff("203.0.113.9"))).status, 200);
    // The proxy appends what it saw last; a client-written entry to its left is ignored.
    assert.equal(
      (await manage(oneProxy.url, "GET", PROBE, xff("203.0.113.9, 127.0.0.1"))).status,
      403,
    );
    // No header: the connection's own address (the test client, not trusted).
    assert.equal((await manage(oneProxy.url, "GET", PROBE)).status, 403);
  } finally {
    await oneProxy.close();
  }
  const twoProxies = await startServer({
    ...trusted,
    PARLEY_TRUST_PROXY: "2",
    PARLEY_PROXY_IPS: "127.0.0.1, 10.0.0.5",
  });
  try {
    const r = await manage(twoProxies.url, "GET", PROBE, xff("6.6.6.6, 203.0.113.9, 10.0.0.5"));
    assert.equal(r.status, 200);
    // Fewer hops than proxies: the request skipped the chain, so the connection counts.
    assert.equal((await manage(twoProxies.url, "GET", PROBE, xff("203.0.113.9"))).status, 403);
  } finally {
    await twoProxies.close();
  }
});

Deno.test("manage: every route is behind the guard", async () => {
  const s = await startManaged();
  try {
    const routes: [string, string][] = [
      ["POST", "/users/alice/login"],
      ["POST", "/users/alice/logout"],
      ["PUT", "/users/alice"],
      ["DELETE", "/users/alice"],
      ["POST", "/users/alice/system-message"],
      ["GET", "/users/alice/export"],
      ["GET", "/users/alice/unread"],
      ["GET", "/webhooks/log"],
      ["POST", "/retention/sweep"],
      ["GET", "/no/such/route"],
    ];
    for (const [method, path] of routes) {
      const r = await api<Err>(s.url, method, `/api/v1/manage${path}`, {
        json: method === "GET" ? undefined : {},
      });
      assert.equal(r.status, 401, `${method} ${path}`);
      assert.equal(r.body.error.code, "unauthorized");
    }
  } finally {
    await s.close();
  }
});

Deno.test("manage: bad PARLEY_TRUSTED_IPS or webhook settings fail at start, naming the variable", () => {
  const base = { PARLEY_AUTH_SECRET: AUTH_SECRET };
  assert.throws(
    () => loadConfig({ ...base, PARLEY_TRUSTED_IPS: "127.0.0.1, 10.0.0.0/40" }),
    { message: 'PARLEY_TRUSTED_IPS: "10.0.0.0/40" has a prefix length that is not 0-32' },
  );
  assert.throws(
    () => loadConfig({ ...base, PARLEY_TRUSTED_IPS: "localhost" }),
    { message: 'PARLEY_TRUSTED_IPS: "localhost" is not an IP address or CIDR range' },
  );
  assert.throws(
    () => loadConfig({ ...base, PARLEY_WEBHOOK_DELIVERY: "carrier-pigeon" }),
    /^Error: PARLEY_WEBHOOK_DELIVERY: must be queue or poll/,
  );
  assert.throws(
    () => loadConfig({ ...base, PARLEY_WEBHOOK_RETRY_BASE_MS: "0" }),
    /^Error: PARLEY_WEBHOOK_RETRY_BASE_MS: must be a whole number from 10/,
  );
  // KV Connect (a URL) has no queues, so webhooks default to polling there.
  assert.equal(
    loadConfig({ ...base, PARLEY_KV_PATH: "https://kv.example.com" }).webhookDelivery,
    "poll",
  );
  assert.equal(loadConfig(base).webhookDelivery, "queue");
});
