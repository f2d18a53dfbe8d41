/**
 * Several isolates on one KV file (two Web Workers of one process, nothing between them but KV,
 * like Deno Deploy's separate instances): every send and sign-in answers without a 5xx, and every
 * message reaches both users' streams exactly once, in log order, whichever instance holds them.
 */
import assert from "node:assert/strict";
import type { GroupCommitStats } from "../../kv/group_commit.ts";
import {
  assertMessagesOnce,
  AUTH_SECRET,
  login,
  removeKvFile,
  SseClient,
} from "../support/helpers.ts";

interface Instance {
  url: string;
  /** Stops the instance; says what its group commit did. */
  stop(): Promise<GroupCommitStats>;
}

async function startInstance(kvPath: string): Promise<Instance> {
  const worker = new Worker(new URL("../support/instance_worker.ts", import.meta.url), {
    type: "module",
  });
  const reply = (key: string) =>
    new Promise<Record<string, string>>((resolve) => {
      const on = (e: MessageEvent) => {
        if (key in e.data) {
          worker.removeEventListener("message", on);
          resolve(e.data);
        }
      };
      worker.addEventListener("message", on);
    });
  const started = reply("url");
  worker.postMessage({
    start: {
      PORT: "0",
      PARLEY_KV_PATH: kvPath,
      PARLEY_AUTH_SECRET: AUTH_SECRET,
      PARLEY_RATE_MESSAGES: "off",
    },
  });
  const { url } = await started;
  return {
    url,
    async stop() {
      const stopped = reply("stopped");
      worker.postMessage({ stop: true });
      const { group } = await stopped as unknown as { group: GroupCommitStats };
      worker.terminate();
      return group;
    },
  };
}

/** Every user's stream, opened on the instance that did not sign them in. */
async function openCrossed(tokens: string[], a: Instance, b: Instance): Promise<SseClient[]> {
  const streams: SseClient[] = [];
  for (const [i, t] of tokens.entries()) {
    const s = await SseClient.open(i % 2 ? b.url : a.url, t);
    await s.waitFor((e) => e.event === "ready");
    streams.push(s);
  }
  return streams;
}

Deno.test("instances: two isolates on one KV file lose nothing and answer no 5xx", async () => {
  const kvPath = await Deno.makeTempFile({ prefix: "parley-instances-", suffix: ".sqlite" });
  const [a, b] = [await startInstance(kvPath), await startInstance(kvPath)];
  const users = Array.from({ length: 8 }, (_, i) => `user${i}`);
  const streams: SseClient[] = [];
  try {
    // Sign-ins go to both instances at once; every user streams from the other one's.
    const tokens = await Promise.all(users.map((u, i) => login(i % 2 ? a.url : b.url, u)));
    streams.push(...await openCrossed(tokens, a, b));
    // Every user sends to every other, alternating instances, all at once: both isolates write
    // the same dialogs and event logs concurrently.
    const statuses: number[] = [];
    const sends: Promise<void>[] = [];
    for (const [i, from] of users.entries()) {
      for (const [j, to] of users.entries()) {
        if (i === j) continue;
        for (let k = 0; k < 3; k++) {
          const base = (i + j + k) % 2 ? a.url : b.url;
          sends.push((async () => {
            const res = await fetch(`${base}/api/v1/dialogs/${to}/messages`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                authorization: `Bearer ${tokens[i]}`,
              },
              body: JSON.stringify({ text: `${from}>${to}#${k}` }),
            });
            statuses.push(res.status);
            await res.body?.cancel();
          })());
        }
      }
    }
    await Promise.all(sends);
    const total = users.length * (users.length - 1) * 3;
    assert.deepEqual(statuses.filter((s) => s !== 201), [], "every send is stored");
    assert.equal(statuses.length, total);
    // Each user takes part in 2 × 7 × 3 messages: each arrives once, with ids in order.
    for (const [i, s] of streams.entries()) {
      const want = 2 * (users.length - 1) * 3;
      const got = await s.waitCount("message", want, 20_000);
      const texts = got.map((e) => (e.data as { text: string }).text);
      assert.equal(new Set(texts).size, want, `${users[i]} got a message twice`);
      const ids = got.map((e) => Number(e.id));
      assert.deepEqual(ids, [...ids].sort((x, y) => x - y), `${users[i]}'s events out of order`);
      for (const t of texts) assert.ok(t.includes(users[i]), `${users[i]} got ${t}`);
    }
  } finally {
    for (const s of streams) await s.close();
    await a.stop();
    await b.stop();
    await removeKvFile(kvPath);
  }
});

/** Sends `text` from the token's user to `to` through `base`; the HTTP status. */
async function post(base: string, token: string, to: string, text: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/dialogs/${to}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ text }),
  });
  await res.body?.cancel();
  return res.status;
}

Deno.test("instances: group commit in two isolates on one KV file loses, repeats and reorders nothing", async () => {
  const kvPath = await Deno.makeTempFile({ prefix: "parley-instances-", suffix: ".sqlite" });
  const [a, b] = [await startInstance(kvPath), await startInstance(kvPath)];
  const users = Array.from({ length: 30 }, (_, i) => `grp${i}`);
  const streams: SseClient[] = [];
  const stats: GroupCommitStats[] = [];
  try {
    const tokens = await Promise.all(users.map((u, i) => login(i % 2 ? a.url : b.url, u)));
    streams.push(...await openCrossed(tokens, a, b));
    // Each user writes to three others through both instances at once: each isolate batches
    // sends of different dialogs while the other writes the same users' logs.
    const sends: Promise<number>[] = [];
    const expected = new Map(users.map((u) => [u, 0]));
    for (const [i, from] of users.entries()) {
      for (const d of [1, 7, 13]) {
        const to = users[(i + d) % users.length];
        for (let k = 0; k < 4; k++) {
          sends.push(post(k % 2 ? a.url : b.url, tokens[i], to, `${from}>${to}#${k}`));
          expected.set(from, expected.get(from)! + 1);
          expected.set(to, expected.get(to)! + 1);
        }
      }
    }
    const statuses = await Promise.all(sends);
    assert.deepEqual(statuses.filter((s) => s !== 201), [], "every send is stored");
    for (const [i, s] of streams.entries()) {
      await assertMessagesOnce(s, users[i], expected.get(users[i])!);
    }
  } finally {
    for (const s of streams) await s.close();
    stats.push(await a.stop(), await b.stop());
    await removeKvFile(kvPath);
  }
  const grouped = stats.reduce((n, s) => n + s.grouped, 0);
  const total = stats.reduce((n, s) => n + s.grouped + s.alone, 0);
  assert.ok(grouped > 0, `no send shared an atomic: ${JSON.stringify(stats)}`);
  assert.ok(total >= users.length * 3 * 4, JSON.stringify(stats));
});
