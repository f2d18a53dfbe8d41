/**
 * A host site that misbehaves cannot freeze Parley or steal a user's id: answers are read as a
 * stream and dropped at their cap, the timeout covers the whole body, redirects are not
 * followed, and no log line carries the callback URL's query string or credentials.
 */
import assert from "node:assert/strict";
import { HASH_MAX_BYTES, USERS_INFO_MAX_BYTES } from "../../services/host/callbacks.ts";
import { log } from "../../services/core/log.ts";
import { api, startServer, type TestServer } from "../support/helpers.ts";
import { captureLogs } from "../support/logs.ts";

type Err = { error: { code: string; message: string } };
const SECRET = "host-token-never-logged-42";
const CHUNK = new Uint8Array(64 * 1024).fill(0x61); // "aaaa…": one long token, valid JSON never

/** A host whose every answer is `answer(path)`; counts the bytes it managed to send. */
function badHost(answer: (path: string, sent: { bytes: number }) => Response) {
  const sent = { bytes: 0, stolen: [] as string[] };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/elsewhere") {
      sent.stolen.push(await req.text());
      return new Response("6fd854c8b1aa1533107f39ac56543835");
    }
    await req.body?.cancel();
    return answer(path, sent);
  });
  const base = `http://user:pw@127.0.0.1:${server.addr.port}`;
  return {
    sent,
    base,
    info: `${base}/users?token=${SECRET}`,
    hash: `${base}/hash?token=${SECRET}`,
    close: () => server.shutdown(),
  };
}

/** 100 MB, one 64 KiB chunk every few milliseconds, for as long as the reader keeps reading. */
function hundredMegabytes(sent: { bytes: number }, delayMs = 2): Response {
  let left = 100 * 1024 * 1024;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (left <= 0) return c.close();
      await new Promise((r) => setTimeout(r, delayMs));
      c.enqueue(CHUNK);
      sent.bytes += CHUNK.length;
      left -= CHUNK.length;
    },
  }, { highWaterMark: 0 });
  return new Response(body, { headers: { "content-type": "application/json" } });
}

function callbackParley(host: ReturnType<typeof badHost>, env: Record<string, string> = {}) {
  return startServer({
    PARLEY_AUTH_SECRET: "",
    PARLEY_USERS_INFO_URL: host.info,
    PARLEY_USERS_HASH_URL: host.hash,
    ...env,
  });
}

const signIn = (s: TestServer, key = "6fd854c8b1aa1533107f39ac56543835") =>
  api<Err>(s.url, "POST", "/api/v1/session", { json: { user_id: "2", user_key: key } });

function assertNoSecrets(lines: string[]) {
  const all = lines.join("\n");
  assert.ok(!all.includes(SECRET), all);
  assert.ok(!all.includes("user:pw"), all);
}

Deno.test("misbehaving host: a 100 MB hash answer is dropped at its cap, not read whole", async () => {
  const host = badHost((_p, sent) => hundredMegabytes(sent));
  const s = await callbackParley(host);
  try {
    const { result, lines } = await captureLogs(() => signIn(s));
    assert.equal(result.status, 502);
    assert.equal(result.body.error.code, "host_unavailable");
    assert.ok(host.sent.bytes < 2 * 1024 * 1024, `the host sent ${host.sent.bytes} bytes`);
    assert.match(lines.join("\n"), new RegExp(`longer than ${HASH_MAX_BYTES} bytes`));
    assertNoSecrets(lines);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("misbehaving host: a 100 MB users-info answer is dropped at its cap", async () => {
  const host = badHost((path, sent) =>
    path === "/hash" ? new Response("6fd854c8b1aa1533107f39ac56543835") : hundredMegabytes(sent)
  );
  const s = await callbackParley(host);
  try {
    const { result, lines } = await captureLogs(() => signIn(s));
    assert.equal(result.status, 502);
    assert.match(result.body.error.message, /URL_getUsersInfo/);
    assert.ok(host.sent.bytes < 4 * USERS_INFO_MAX_BYTES, `the host sent ${host.sent.bytes} bytes`);
    assert.match(lines.join("\n"), /longer than/);
    assertNoSecrets(lines);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("misbehaving host: the timeout covers the body of an answer that never ends", async () => {
  const host = badHost(() => {
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        await new Promise((r) => setTimeout(r, 100));
        c.enqueue(new TextEncoder().encode("a"));
      },
    }, { highWaterMark: 0 });
    return new Response(body);
  });
  const s = await callbackParley(host, { PARLEY_HOST_TIMEOUT_MS: "400" });
  try {
    const { result, lines } = await captureLogs(() => signIn(s));
    assert.equal(result.status, 502);
    assert.match(lines.join("\n"), /no complete answer within 400 ms/);
    assertNoSecrets(lines);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("misbehaving host: a redirect is not followed, so the id is not re-sent elsewhere", async () => {
  for (const status of [301, 302, 307, 308]) {
    const host = badHost(() =>
      new Response(null, {
        status,
        headers: { location: `/elsewhere?token=${SECRET}` },
      })
    );
    const s = await callbackParley(host);
    try {
      const { result, lines } = await captureLogs(() => signIn(s));
      assert.equal(result.status, 502, String(status));
      assert.equal(result.body.error.code, "host_unavailable");
      assert.deepEqual(host.sent.stolen, [], `HTTP ${status} was followed`);
      assert.match(lines.join("\n"), new RegExp(`HTTP ${status} \\(a redirect to .*/elsewhere;`));
      assertNoSecrets(lines);
    } finally {
      await s.close();
      await host.close();
    }
  }
});

Deno.test("misbehaving host: error answers are logged with the URL's path only", async () => {
  const cases: [string, (p: string) => Response][] = [
    ["HTTP 500", () => new Response("oops", { status: 500 })],
    [
      "not JSON",
      (p) => new Response(p === "/hash" ? "6fd854c8b1aa1533107f39ac56543835" : "<html>"),
    ],
  ];
  for (const [why, answer] of cases) {
    const host = badHost((p) => answer(p));
    const s = await callbackParley(host);
    try {
      const { lines } = await captureLogs(() => signIn(s));
      const line = lines.find((l) => l.includes("host callback"));
      assert.ok(line, `${why}: ${lines.join("\n")}`);
      assert.match(line, /"url":"http:\/\/127\.0\.0\.1:\d+\/(hash|users)"/);
      assertNoSecrets(lines);
    } finally {
      await s.close();
      await host.close();
    }
  }
  // An unreachable host: the URL is configured but nothing listens there.
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = free.addr.port;
  free.close();
  const s = await startServer({
    PARLEY_AUTH_SECRET: "",
    PARLEY_USERS_INFO_URL: `http://user:pw@127.0.0.1:${port}/u?token=${SECRET}`,
    PARLEY_USERS_HASH_URL: `http://user:pw@127.0.0.1:${port}/h?token=${SECRET}`,
  });
  try {
    const { result, lines } = await captureLogs(() => signIn(s));
    assert.equal(result.status, 502);
    assert.match(lines.join("\n"), /unreachable/);
    assertNoSecrets(lines);
  } finally {
    await s.close();
  }
});

Deno.test("logs: no line carries a URL's query string or credentials, whatever logs it", async () => {
  const { lines } = await captureLogs(() => {
    log.warn(`fetch failed for http://u:p@example.com/hook?token=${SECRET}#x`, {
      url: `https://example.com/translate?key=${SECRET}`,
      reason: `error sending request for url (http://example.com/a?b=${SECRET})`,
    });
    log.error(`webhook to https://admin:${SECRET}@hooks.example.com/in failed`);
    return Promise.resolve();
  });
  assert.equal(lines.length, 2);
  assertNoSecrets(lines);
  assert.match(lines[0], /http:\/\/example\.com\/hook /);
  assert.match(lines[0], /"url":"https:\/\/example\.com\/translate"/);
  assert.match(lines[1], /https:\/\/hooks\.example\.com\/in failed/);
});
