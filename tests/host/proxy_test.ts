/**
 * X-Forwarded-For is believed only on connections from PARLEY_PROXY_IPS, over real sockets from
 * two loopback addresses; PARLEY_HOSTNAME sets the address Parley listens on.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { loadConfig } from "../../services/core/config.ts";
import { startParley } from "../../server.ts";
import { API_SECRET, startServer } from "../support/helpers.ts";

/** GET `url` from the local address `from`, with an X-Forwarded-For header. */
function getFrom(from: string, url: string, xff: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      localAddress: from,
      headers: { "x-forwarded-for": xff, authorization: `Bearer ${API_SECRET}` },
    }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

Deno.test("proxy: another local process cannot claim a trusted address through X-Forwarded-For", async () => {
  // The manage API trusts 127.0.0.1 only; one proxy runs on this machine (the default list).
  const s = await startServer({ PARLEY_TRUSTED_IPS: "127.0.0.1", PARLEY_TRUST_PROXY: "1" });
  const probe = `${s.url}/api/v1/manage/users/alice/unread`;
  try {
    // The reproduction: from 127.0.0.2, "I am 127.0.0.1".
    assert.equal(await getFrom("127.0.0.2", probe, "127.0.0.1"), 403);
    // The real proxy (127.0.0.1) forwarding a trusted client is believed...
    assert.equal(await getFrom("127.0.0.1", probe, "127.0.0.1"), 200);
    // ...and forwarding an outside client is that client, not trusted.
    assert.equal(await getFrom("127.0.0.1", probe, "203.0.113.9"), 403);
  } finally {
    await s.close();
  }
  // An owner whose proxy is 127.0.0.2 lists it; then it is believed, and 127.0.0.1 is not.
  const s2 = await startServer({
    PARLEY_TRUSTED_IPS: "203.0.113.0/24",
    PARLEY_TRUST_PROXY: "1",
    PARLEY_PROXY_IPS: "127.0.0.2",
  });
  const probe2 = `${s2.url}/api/v1/manage/users/alice/unread`;
  try {
    assert.equal(await getFrom("127.0.0.2", probe2, "203.0.113.9"), 200);
    assert.equal(await getFrom("127.0.0.1", probe2, "203.0.113.9"), 403);
  } finally {
    await s2.close();
  }
});

Deno.test("proxy: PARLEY_HOSTNAME is the listen address (0.0.0.0 by default)", async () => {
  const base = { PORT: "0", PARLEY_KV_PATH: ":memory:", PARLEY_AUTH_SECRET: "x".repeat(20) };
  assert.equal(loadConfig(base).hostname, "0.0.0.0");
  assert.throws(() => loadConfig({ ...base, PARLEY_HOSTNAME: "1.2.3.4:80" }), /PARLEY_HOSTNAME/);
  const p = await startParley(loadConfig({ ...base, PARLEY_HOSTNAME: "127.0.0.2" }));
  try {
    assert.equal(p.server.addr.hostname, "127.0.0.2");
    assert.equal(p.url, `http://127.0.0.2:${p.server.addr.port}`);
    const res = await fetch(`${p.url}/healthz`);
    await res.body?.cancel();
    assert.equal(res.status, 200);
  } finally {
    await p.close();
  }
});
