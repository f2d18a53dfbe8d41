/**
 * Stores written before the own-prefix key layout (kv/layout.ts) are moved at start-up: a real
 * Parley on a store in the old shape, then the move at KV's limits, with two movers at once, a
 * mover that loses its lease, and one killed with SIGKILL.
 */
import assert from "node:assert/strict";
import { familyFirst, keys, OWN } from "../../kv/keys.ts";
import { LAYOUT, migrateLayout, MOVED, movedKey } from "../../kv/layout.ts";
import { EVENT_TTL_MS } from "../../kv/messaging/events.ts";
import { openKv } from "../../kv/open.ts";
import { wrapCommits } from "../support/dying_kv.ts";
import { api, login, removeKvFile, send, SseClient, startServer } from "../support/helpers.ts";

type Family = typeof MOVED[number];
const moved = new Set<string>(MOVED);

/** Every entry of the store, by its key as JSON. */
async function dump(kv: Deno.Kv): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for await (const e of kv.list({ prefix: [] })) out.set(JSON.stringify(e.key), e.value);
  return out;
}

/**
 * Puts a store back into the shape the code before layout 2 wrote (["dlg", uid, peer],
 * ["ev", uid, n], ...): what an upgrading site has on disk. Rate counters are left as they are.
 */
async function toOldLayout(path: string): Promise<number> {
  const kv = await Deno.openKv(path);
  let n = 0;
  const entries: Deno.KvEntry<unknown>[] = [];
  for await (const e of kv.list({ prefix: [OWN] })) entries.push(e);
  for (const e of entries) {
    const old = familyFirst(e.key);
    if (!moved.has(String(old[0]))) continue;
    const expireIn = old[0] === "ev" ? { expireIn: EVENT_TTL_MS } : {};
    await kv.atomic().set(old, e.value, expireIn).delete(e.key).commit();
    n++;
  }
  await kv.delete(keys.layout());
  kv.close();
  return n;
}

/** `value` without presence (online, last_seen): the first server's streams change it. */
function withoutPresence(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => k === "online" || k === "last_seen" ? undefined : v),
  );
}

/** Old-shape keys left in the store. */
async function oldKeys(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for (const f of MOVED) for await (const _ of kv.list({ prefix: [f] })) n++;
  return n;
}

Deno.test("layout: a site's store from before the own-prefix layout reads the same after the upgrade", async () => {
  const s1 = await startServer();
  const path = s1.kvPath;
  const a1 = await login(s1.url, "alice");
  const b1 = await login(s1.url, "bob");
  const c1 = await login(s1.url, "carol");
  for (let i = 0; i < 5; i++) await send(s1.url, a1, "bob", `a→b ${i}`);
  const fromBob = await send(s1.url, b1, "alice", "b→a");
  await send(s1.url, c1, "alice", "c→a");
  await api(s1.url, "POST", `/api/v1/dialogs/bob/read`, { token: a1, json: { up_to: fromBob.id } });
  const view = async (url: string, tokens: Record<string, string>) => {
    const out: Record<string, unknown> = {};
    for (const [uid, t] of Object.entries(tokens)) {
      out[uid] = {
        dialogs: withoutPresence((await api(url, "GET", "/api/v1/dialogs", { token: t })).body),
        unread: (await api(url, "GET", "/api/v1/unread", { token: t })).body,
        history: (await api(url, "GET", "/api/v1/dialogs/alice/messages", { token: t })).body,
      };
    }
    return out;
  };
  const before = await view(s1.url, { alice: a1, bob: b1, carol: c1 });
  const bobLog = await SseClient.open(s1.url, b1, { lastEventId: "0" });
  const bobEvents = await bobLog.waitCount("message", 6);
  bobLog.close();
  await s1.parley.close();

  const seqBefore = await (async () => {
    const kv = await Deno.openKv(path);
    const seq = (await kv.get<number>(keys.eventSeq("bob"))).value;
    kv.close();
    return seq;
  })();
  assert.ok(await toOldLayout(path) > 20, "the store holds old-shape entries");
  {
    const kv = await Deno.openKv(path);
    assert.ok(await oldKeys(kv) > 20);
    assert.equal((await kv.get(["ev_seq", "bob"])).value, seqBefore);
    kv.close();
  }

  const s2 = await startServer({ PARLEY_KV_PATH: path });
  try {
    const kv = s2.parley.deps.kv;
    assert.equal(await oldKeys(kv), 0, "nothing is left in the old shape");
    assert.equal((await kv.get(keys.eventSeq("bob"))).value, seqBefore, "bob's counter moved");
    assert.equal((await kv.get<{ version: number }>(keys.layout())).value?.version, LAYOUT);
    const tokens = {
      alice: await login(s2.url, "alice"),
      bob: await login(s2.url, "bob"),
      carol: await login(s2.url, "carol"),
    };
    assert.deepEqual(await view(s2.url, tokens), before);
    // The event log moved with its counter: a reconnect resumes by Last-Event-ID, and the next
    // event continues the numbering.
    const resumed = await SseClient.open(s2.url, tokens.bob, { lastEventId: bobEvents[3].id });
    const replay = await resumed.waitCount("message", 2);
    assert.deepEqual(replay.map((e) => e.id), bobEvents.slice(4).map((e) => e.id));
    await send(s2.url, tokens.alice, "bob", "after the upgrade");
    const next = (await resumed.waitCount("message", 3))[2];
    assert.ok(Number(next.id) > seqBefore!, `${next.id} continues after ${seqBefore}`);
    resumed.close();
  } finally {
    await s2.close(); // the consistency check: indexes, counters, logs all agree
    await removeKvFile(path);
  }
});

/** One family of an old store: `n` entries for a few users, with values of `bytes`. */
type Fill = { family: Family; n: number; bytes?: number };

/**
 * A fresh store file in the old shape holding `fills`, and what it holds (every entry by its key
 * as JSON), to compare with after the move.
 */
async function oldStore(...fills: Fill[]): Promise<{ path: string; want: Map<string, unknown> }> {
  const path = await Deno.makeTempFile({ prefix: "parley-layout-", suffix: ".sqlite" });
  const kv = await Deno.openKv(path);
  for (const { family, n, bytes = 10 } of fills) {
    const pad = "x".repeat(bytes);
    const per = bytes > 1_000 ? 5 : 100;
    for (let i = 0; i < n; i += per) {
      const op = kv.atomic();
      for (let j = i; j < Math.min(n, i + per); j++) {
        op.set([family, `user${j % 7}`, `k${String(j).padStart(6, "0")}`], { j, pad });
      }
      await op.commit();
    }
  }
  const want = await dump(kv);
  kv.close();
  return { path, want };
}

/**
 * Asserts the store is the old one moved (every entry at its new key with its value, once, and
 * no lease left), then removes it.
 */
async function assertMoved(path: string, want: Map<string, unknown>) {
  const kv = await Deno.openKv(path);
  try {
    const now = await dump(kv);
    now.delete(JSON.stringify(keys.layout()));
    assert.equal(now.size, want.size);
    for (const [k, v] of want) {
      assert.deepEqual(now.get(JSON.stringify(movedKey(JSON.parse(k)))), v, k);
    }
    assert.equal((await kv.get(keys.layoutLease())).value, null, "the lease is gone");
  } finally {
    kv.close();
  }
  await removeKvFile(path);
}

Deno.test("layout: a move past KV's atomic limits (1,000 mutations, 800 KiB) goes in pages", async () => {
  // 30 dialog sides of 60 KB: 1.8 MB, more than one atomic may carry.
  const { path, want } = await oldStore(
    { family: "adm_user", n: 1_200 },
    { family: "dlg", n: 30, bytes: 60_000 },
  );
  const kv = await Deno.openKv(path);
  assert.equal(await migrateLayout(kv), 1_230);
  assert.equal(await migrateLayout(kv), 0, "a second start moves nothing");
  kv.close();
  await assertMoved(path, want);
});

Deno.test("layout: two processes starting at once move every entry once", async () => {
  const { path, want } = await oldStore({ family: "ev", n: 300 }, { family: "dlg_time", n: 120 });
  // Two processes' handles, as Parley opens them (a locked database is retried).
  const [a, b] = [await openKv(path), await openKv(path)];
  const counts = await Promise.all([
    migrateLayout(a, { page: 25, pollMs: 10 }),
    migrateLayout(b, { page: 25, pollMs: 10 }),
  ]);
  assert.equal(counts[0] + counts[1], 420);
  assert.ok(counts.includes(0), "one moved, the other waited");
  a.close();
  b.close();
  await assertMoved(path, want);
});

Deno.test("layout: a mover whose lease was taken writes nothing more, and the move still ends", async () => {
  const { path, want } = await oldStore({ family: "dlg_unread", n: 200 });
  const kv = await Deno.openKv(path);
  const other = await Deno.openKv(path);
  let stolenAt = -1;
  // After its second page, another process takes the lease (as if this one had stalled past it).
  const watched = wrapCommits(kv, async (commit, n) => {
    const res = await commit();
    if (n === 3) {
      await other.set(keys.layoutLease(), { holder: "other", until: Date.now() + 400 });
      stolenAt = await oldKeys(other);
    }
    return res;
  });
  const done = migrateLayout(watched, { page: 10, pollMs: 20, leaseMs: 5_000 });
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(await oldKeys(other), stolenAt, "no page moved while the other held the lease");
  assert.ok(stolenAt > 0 && stolenAt < 200);
  assert.equal(await done, 200);
  kv.close();
  other.close();
  await assertMoved(path, want);
});

Deno.test("layout: a move killed with SIGKILL is finished by the next start", async () => {
  const { path, want } = await oldStore({ family: "adm_user", n: 3_000 }, {
    family: "ev_seq",
    n: 50,
  });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("../support/layout_worker.ts", import.meta.url).pathname,
      path,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const kv = await Deno.openKv(path);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    let n = 0;
    for await (const _ of kv.list({ prefix: [OWN] }, { limit: 100 })) n++;
    if (n >= 100) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGKILL");
  await child.status;
  const left = await oldKeys(kv);
  assert.ok(left > 0 && left < 3_050, `killed half-way (${left} left)`);
  assert.ok((await kv.get(keys.layoutLease())).value, "the dead mover's lease is still there");
  // The next start waits out the dead mover's lease (500 ms here) and finishes the move.
  assert.equal(await migrateLayout(kv, { pollMs: 20 }), left);
  kv.close();
  await assertMoved(path, want);
});
