/**
 * Group commit (kv/group_commit.ts): sends of different dialogs share one atomic where the KV's
 * check budget allows; a batch whose checks fail is committed again one write at a time, so one
 * conflicting write never fails the others; on a KV Connect budget (10 checks) writes never
 * share an atomic.
 */
import assert from "node:assert/strict";
import { commitGrouped, groupCommitStats } from "../../kv/group_commit.ts";
import { setCheckBudget } from "../../kv/open.ts";
import {
  assertMessagesOnce,
  login,
  send,
  SseClient,
  startServer,
  tempKv,
} from "../support/helpers.ts";

/** A write shaped like a send: 8 checks (absent keys) and a counter of its own owner. */
function write(kv: Deno.Kv, owner: string, before?: () => Promise<void>) {
  return async (op: Deno.AtomicOperation) => {
    const guard = await kv.get(["guard", owner]);
    await before?.();
    for (let i = 0; i < 7; i++) op.check({ key: ["absent", owner, i], versionstamp: null });
    op.check(guard).set(["written", owner], owner);
    return owner;
  };
}

Deno.test("group commit: concurrent sends of many dialogs share atomics, each delivered once in order", async () => {
  const srv = await startServer();
  const users = Array.from({ length: 24 }, (_, i) => `g${i}`);
  const streams: SseClient[] = [];
  try {
    const tokens = await Promise.all(users.map((u) => login(srv.url, u)));
    for (const t of tokens) {
      const s = await SseClient.open(srv.url, t);
      await s.waitFor((e) => e.event === "ready");
      streams.push(s);
    }
    // Every user writes to four others at once, twice: 192 sends in flight together.
    const sends: Promise<unknown>[] = [];
    const expected = new Map(users.map((u) => [u, 0]));
    for (const [i, from] of users.entries()) {
      for (let d = 1; d <= 4; d++) {
        const to = users[(i + d * 5) % users.length];
        for (let k = 0; k < 2; k++) {
          sends.push(send(srv.url, tokens[i], to, `${from}>${to}#${k}`));
          expected.set(from, expected.get(from)! + 1);
          expected.set(to, expected.get(to)! + 1);
        }
      }
    }
    await Promise.all(sends);
    const stats = groupCommitStats(srv.parley.deps.kv);
    assert.ok(stats.batches > 0, `no send shared an atomic: ${JSON.stringify(stats)}`);
    // Every send went through it (and the streams' presence changes too).
    assert.ok(stats.grouped + stats.alone >= sends.length, JSON.stringify(stats));
    for (const [i, s] of streams.entries()) {
      await assertMessagesOnce(s, users[i], expected.get(users[i])!);
    }
  } finally {
    for (const s of streams) await s.close();
    await srv.close();
  }
});

Deno.test("group commit: a batch whose checks fail is committed one by one; only the stale write is read again", async () => {
  const { kv, cleanup } = await tempKv("parley-group-");
  try {
    let open!: () => void;
    const gate = new Promise<void>((r) => open = r);
    let waiting = 0;
    let allRead!: () => void;
    const read = new Promise<void>((r) => allRead = r);
    const builds = new Map<string, number>();
    const owners = ["a", "b", "c", "d", "e"];
    const results = Promise.all(owners.map((o) =>
      commitGrouped(
        kv,
        [o],
        write(kv, o, async () => {
          builds.set(o, (builds.get(o) ?? 0) + 1);
          if (++waiting === owners.length) allRead();
          await gate;
        }),
      )
    ));
    // Every write has read its guard; another writer now changes c's, then they record.
    await read;
    await kv.set(["guard", "c"], "changed");
    open();
    assert.deepEqual(await results, owners);
    for (const o of owners) assert.equal((await kv.get(["written", o])).value, o);
    assert.deepEqual(groupCommitStats(kv), { batches: 0, grouped: 0, failed: 1, alone: 5 });
    assert.deepEqual(Object.fromEntries(builds), { a: 1, b: 1, c: 2, d: 1, e: 1 });
  } finally {
    await cleanup();
  }
});

Deno.test("group commit: writes sharing an owner never share an atomic; others do", async () => {
  const { kv, cleanup } = await tempKv("parley-group-");
  try {
    const owners = ["x", "y", "x", "z", "x"];
    const got = await Promise.all(owners.map((o) => commitGrouped(kv, [o], write(kv, o))));
    assert.deepEqual(got, owners);
    // x's three writes each went in a batch of their own turn: 3 atomics, the first with y and z.
    const s = groupCommitStats(kv);
    assert.equal(s.failed, 0);
    assert.equal(s.grouped + s.alone, 5);
    assert.equal(s.batches + s.alone, 3, JSON.stringify(s));
  } finally {
    await cleanup();
  }
});

Deno.test("group commit: on KV Connect's budget of 10 checks every write commits alone", async () => {
  const { kv, cleanup } = await tempKv("parley-group-");
  try {
    setCheckBudget(kv, 10);
    const owners = ["p", "q", "r", "s"];
    assert.deepEqual(
      await Promise.all(owners.map((o) => commitGrouped(kv, [o], write(kv, o)))),
      owners,
    );
    for (const o of owners) assert.equal((await kv.get(["written", o])).value, o);
    assert.deepEqual(groupCommitStats(kv), { batches: 0, grouped: 0, failed: 0, alone: 0 });
  } finally {
    await cleanup();
  }
});

Deno.test("group commit: one sender's concurrent sends under a rate limit fail no batch", async () => {
  // The limit is on: each send counts itself in its atomic. A send that reused its early read of
  // the counter went stale behind the same sender's other sends and failed the batch it joined.
  const srv = await startServer({ PARLEY_RATE_MESSAGES: "1000/1m" });
  const users = Array.from({ length: 13 }, (_, i) => `r${i}`);
  try {
    const tokens = await Promise.all(users.map((u) => login(srv.url, u)));
    const sends: Promise<unknown>[] = [];
    for (let k = 0; k < 3; k++) {
      // r0 writes to everyone at once while everyone else writes to their next neighbour.
      for (let i = 1; i < users.length; i++) {
        sends.push(send(srv.url, tokens[0], users[i], `r0>${users[i]}#${k}`));
        sends.push(send(srv.url, tokens[i], users[1 + (i % (users.length - 1))], `#${k}`));
      }
    }
    await Promise.all(sends);
    const stats = groupCommitStats(srv.parley.deps.kv);
    assert.ok(stats.batches > 0, JSON.stringify(stats));
    assert.equal(stats.failed, 0, `batches failed: ${JSON.stringify(stats)}`);
  } finally {
    await srv.close();
  }
});

Deno.test("group commit: a send queued behind a burst of background writes goes in the next batch; background keeps a quarter of each batch", async () => {
  const { kv, cleanup } = await tempKv("parley-group-");
  try {
    // 8 checks a write: 12 writes a batch. 40 background writes (presence, tickets after a
    // reconnect wave) were queued first; in arrival order the send would wait for the fourth.
    const order: string[] = [];
    const submit = (name: string, background: boolean) =>
      commitGrouped(kv, [name], write(kv, name), { background }).then((r) => order.push(r!));
    const burst = Array.from({ length: 40 }, (_, i) => submit(`bg${i}`, true));
    await Promise.all([...burst, submit("send", false)]);
    assert.ok(order.indexOf("send") < 12, `the send committed ${order.indexOf("send") + 1}th`);
    // In order among themselves.
    const bg = order.filter((n) => n.startsWith("bg"));
    assert.deepEqual(bg, Array.from({ length: 40 }, (_, i) => `bg${i}`));

    // Sends never starve background writes: each batch keeps room for a quarter of them.
    order.length = 0;
    const sends = Array.from({ length: 30 }, (_, i) => submit(`s${i}`, false));
    await Promise.all([...sends, ...Array.from({ length: 10 }, (_, i) => submit(`b${i}`, true))]);
    const first = order.slice(0, 12);
    assert.ok(first.filter((n) => n.startsWith("b")).length >= 3, first.join());
  } finally {
    await cleanup();
  }
});

Deno.test("group commit: a write left waiting for one owner holds its others, so no later write of theirs overtakes it", async () => {
  const { kv, cleanup } = await tempKv("parley-group-");
  try {
    const order: string[] = [];
    const submit = (name: string, owners: string[]) =>
      commitGrouped(kv, owners, write(kv, name)).then((r) => order.push(r!));
    // The second waits for a; the third (b only) must not commit before it.
    await Promise.all([submit("A", ["a"]), submit("B", ["a", "b"]), submit("C", ["b"])]);
    assert.deepEqual(order, ["A", "B", "C"]);
  } finally {
    await cleanup();
  }
});

/**
 * Makes the first `n` atomics of `kv` wait for the returned release before they commit;
 * `called` hears each commit handed to the KV.
 */
function holdCommits(kv: Deno.Kv, n: number, called?: () => void): () => void {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const atomic = kv.atomic.bind(kv);
  let left = n;
  kv.atomic = () => {
    const op = atomic();
    if (left-- > 0) {
      const commit = op.commit.bind(op);
      op.commit = async () => {
        called?.();
        await gate;
        return await commit();
      };
    }
    return op;
  };
  return release;
}

/** A write of `checks` checks (absent keys) that records when it was built. */
function wide(
  owner: string,
  checks: number,
  built: string[],
  body?: (op: Deno.AtomicOperation) => Promise<void>,
) {
  return async (op: Deno.AtomicOperation) => {
    built.push(owner);
    for (let i = 0; i < checks; i++) op.check({ key: ["absent", owner, i], versionstamp: null });
    await body?.(op);
    return owner;
  };
}

/** A write body that adds 1 to a counter, checked: it fails if another write moved it first. */
function bump(kv: Deno.Kv, key: Deno.KvKey) {
  return async (op: Deno.AtomicOperation) => {
    const n = await kv.get<number>(key);
    op.check(n).set(key, (n.value ?? 0) + 1);
  };
}

Deno.test("group commit: the next batch is built while one commits, never from its owners", async () => {
  const { kv, cleanup } = await tempKv("parley-group-");
  try {
    const built: string[] = [];
    // Writes of 10 checks: ten a batch (the committer learns it from this first one).
    await commitGrouped(kv, ["warm"], wide("warm", 10, built));
    built.length = 0;
    const release = holdCommits(kv, 1);
    // Queued together: x1 and nine others fill the first batch, whose commit is held. A full
    // batch's worth waits behind it (saturation): y and eight more share no owner with it, x2 does.
    const fillers = Array.from({ length: 9 }, (_, i) => `f${i}`);
    const more = Array.from({ length: 8 }, (_, i) => `g${i}`);
    const all = Promise.all([
      commitGrouped(kv, ["x"], wide("x1", 9, built, bump(kv, ["n", "x"]))),
      ...fillers.map((f) => commitGrouped(kv, [f], wide(f, 10, built))),
      commitGrouped(kv, ["y"], wide("y", 9, built, bump(kv, ["n", "y"]))),
      commitGrouped(kv, ["x"], wide("x2", 9, built, bump(kv, ["n", "x"]))),
      ...more.map((g) => commitGrouped(kv, [g], wide(g, 10, built))),
    ]);
    await new Promise((r) => setTimeout(r, 60));
    // The second batch was read and built while the first commits; x2 waits for that commit.
    assert.deepEqual(built, ["x1", ...fillers, "y", ...more]);
    release();
    assert.deepEqual(await all, ["x1", ...fillers, "y", "x2", ...more]);
    assert.deepEqual(built, ["x1", ...fillers, "y", ...more, "x2"]);
    // x2 read what x1 wrote (built after it committed), and nothing conflicted.
    assert.equal((await kv.get(["n", "x"])).value, 2);
    assert.equal((await kv.get(["n", "y"])).value, 1);
    assert.equal(groupCommitStats(kv).failed, 0);
  } finally {
    await cleanup();
  }
});

Deno.test("group commit: two batches are handed to the KV at once, a third waits, none takes an owner of either", async () => {
  const { kv, cleanup } = await tempKv("parley-group-");
  try {
    const built: string[] = [];
    await commitGrouped(kv, ["warm"], wide("warm", 10, built));
    built.length = 0;
    let handed = 0;
    const release = holdCommits(kv, 100, () => handed++);
    const names = (p: string) => Array.from({ length: 10 }, (_, i) => `${p}${i}`);
    const [a, b, c] = [names("a"), names("b"), names("c")];
    // 10 checks a write: ten a batch. a0 and b0 write twice, each time 9 checks and a counter.
    const twice = new Set(["a0", "b0"]);
    const one = (name: string, owner = name) =>
      commitGrouped(
        kv,
        [owner],
        twice.has(owner) ? wide(name, 9, built, bump(kv, ["n", owner])) : wide(name, 10, built),
      );
    // Three full batches, queued at once; the second writes of a0 and b0 come among c's.
    const all = Promise.all([
      ...a.map((n) => one(n)),
      ...b.map((n) => one(n)),
      one("a0+", "a0"),
      one("b0+", "b0"),
      ...c.map((n) => one(n)),
    ]);
    await new Promise((r) => setTimeout(r, 80));
    // The first two batches are both with the KV (neither has committed); the third is built
    // meanwhile but waits; the second writes of a0 and b0 wait for their first.
    assert.equal(handed, 2);
    assert.deepEqual(built, [...a, ...b, ...c]);
    release();
    assert.deepEqual(await all, [...a, ...b, "a0+", "b0+", ...c]);
    assert.equal(handed, 4, "a0+ and b0+ went in one batch after the others");
    // Each second write read its first one's commit: nothing conflicted.
    assert.equal((await kv.get(["n", "a0"])).value, 2);
    assert.equal((await kv.get(["n", "b0"])).value, 2);
    assert.equal(groupCommitStats(kv).failed, 0);
  } finally {
    await cleanup();
  }
});
