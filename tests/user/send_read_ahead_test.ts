/**
 * A send reads what its atomic builds on (dialog sides, both event counters, the rate window)
 * while its request is still being checked (readForSend, kv/messaging/messages.ts), and group
 * commit builds it from that read. A read that a local commit made stale is read again before
 * the build (kv/local_writes.ts), so it never fails a commit; one made stale by another isolate
 * fails the send's checks, and the send reads again: nothing is lost or numbered twice.
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { noteWritten, writeMark, writtenSince } from "../../kv/local_writes.ts";
import { readForSend, sendMessage } from "../../kv/messaging/messages.ts";
import { groupCommitStats } from "../../kv/group_commit.ts";
import { openKv, setCheckBudget } from "../../kv/open.ts";
import { rateStep } from "../../kv/ratelimit.ts";
import { sweepRetention } from "../../kv/privacy/retention.ts";
import { ulidTime } from "../../services/core/ids.ts";
import { loadConfig } from "../../services/core/config.ts";
import { api, login, startServer, tempKv } from "../support/helpers.ts";
import { spyOnReads } from "../support/kv_spy.ts";
import type { StoredEvent } from "../../kv/types.ts";

/** Counts commits that failed their checks, on every atomic of this process. */
function countFailedCommits() {
  const proto = Deno.AtomicOperation.prototype;
  const commit = proto.commit;
  const counter = { failed: 0, restore: () => void (proto.commit = commit) };
  proto.commit = async function (this: Deno.AtomicOperation) {
    const res = await commit.call(this);
    if (!res.ok) counter.failed++;
    return res;
  };
  return counter;
}

async function log(kv: Deno.Kv, uid: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of kv.list<StoredEvent>({ prefix: ["u", uid, "ev"] })) out.push(e.value);
  return out;
}

Deno.test("local writes: a mark goes stale once a write naming one of its owners commits", () => {
  const kv = {} as Deno.Kv;
  const mark = writeMark(kv);
  assert.equal(writtenSince(kv, ["a", "b"], mark), false);
  noteWritten(kv, ["c"]);
  assert.equal(writtenSince(kv, ["a", "b"], mark), false, "another owner's write");
  noteWritten(kv, ["b", "d"]);
  assert.equal(writtenSince(kv, ["a", "b"], mark), true);
  assert.equal(writtenSince(kv, ["a", "b"], writeMark(kv)), false, "a mark taken after it");
  // Past 100,000 owners the table starts again, and every older mark counts as stale.
  const old = writeMark(kv);
  for (let i = 0; i < 100_001; i++) noteWritten(kv, [`x${i}`]);
  assert.equal(writtenSince(kv, ["never-written"], old), true);
  assert.equal(writtenSince(kv, ["never-written"], writeMark(kv)), false);
});

Deno.test("send read ahead: the route asks for the counters before its checks answer, and the atomic reads nothing more", async () => {
  // Before the server opens KV: its handles bind the methods as they are then (kv/open.ts).
  const rec = spyOnReads();
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    await login(s.url, "b");
    const sendOne = () =>
      api(s.url, "POST", "/api/v1/dialogs/b/messages", { token: a, json: { text: "hi" } });
    assert.equal((await sendOne()).status, 201);
    rec.clear();
    assert.equal((await sendOne()).status, 201);
    const has = (key: Deno.KvKey) => (e: { keys: string[] }) =>
      e.keys.includes(JSON.stringify(key));
    const asked = rec.timeline.filter((e) => e.what === "asked");
    const counters = asked.filter(has(keys.eventSeq("a")));
    assert.equal(counters.length, 1, `the counters are read once: ${JSON.stringify(asked)}`);
    assert.ok(counters[0].keys.includes(JSON.stringify(keys.eventSeq("b"))));
    assert.ok(counters[0].keys.includes(JSON.stringify(keys.dialog("a", "b"))));
    const askedAt = rec.timeline.indexOf(counters[0]);
    const banAnswered = rec.timeline.findIndex((e) =>
      e.what === "answered" && has(keys.ban("a"))(e)
    );
    assert.ok(banAnswered > 0, JSON.stringify(rec.timeline));
    assert.ok(
      askedAt < banAnswered,
      `the counters went out with the ban and block read, not after it: ${
        JSON.stringify(rec.timeline)
      }`,
    );
  } finally {
    rec.restore();
    await s.close();
  }
});

Deno.test("send read ahead: a read made stale by a local commit is read again, and no commit fails", async () => {
  const { kv, cleanup } = await tempKv("parley-ahead-");
  const failed = countFailedCommits();
  try {
    const ahead = readForSend(kv, "a", "b", undefined);
    await ahead;
    // The other side writes first: both counters and both dialog sides move.
    await sendMessage(kv, { from: "b", to: "a", text: "first" });
    const m = await sendMessage(kv, { from: "a", to: "b", text: "second", ahead });
    assert.equal(failed.failed, 0, "the stale read was noticed before the commit");
    assert.deepEqual((await log(kv, "a")).map((e) => [e.seq, (e.data as { text: string }).text]), [
      [1, "first"],
      [2, "second"],
    ]);
    assert.deepEqual((await log(kv, "b")).map((e) => e.seq), [1, 2]);
    assert.equal((await kv.get<{ last_id: string }>(keys.dialog("b", "a"))).value?.last_id, m.id);
    assert.equal((await kv.get<number>(keys.unread("b", "a"))).value, 1);
  } finally {
    failed.restore();
    await cleanup();
  }
});

Deno.test("send read ahead: a read made stale by another isolate fails the checks, and the send reads again", async () => {
  const { kv, path, cleanup } = await tempKv("parley-ahead-");
  // Another isolate on the same file: its commits are not this one's local writes.
  const other = await openKv(path);
  const failed = countFailedCommits();
  try {
    const ahead = readForSend(kv, "a", "b", undefined);
    await ahead;
    await sendMessage(other, { from: "b", to: "a", text: "elsewhere" });
    const m = await sendMessage(kv, { from: "a", to: "b", text: "here", ahead });
    assert.equal(failed.failed, 1, "the first attempt's checks caught the other isolate's write");
    for (const uid of ["a", "b"]) {
      const events = await log(kv, uid);
      assert.deepEqual(events.map((e) => e.seq), [1, 2], `${uid}: each event once, numbered once`);
      assert.deepEqual(events.map((e) => (e.data as { text: string }).text), ["elsewhere", "here"]);
      assert.equal((await kv.get<number>(keys.eventSeq(uid))).value, 2);
    }
    assert.equal((await kv.get<{ last_id: string }>(keys.dialog("a", "b"))).value?.last_id, m.id);
  } finally {
    failed.restore();
    other.close();
    await cleanup();
  }
});

Deno.test("send read ahead: a local commit that lands while the read is still out makes it stale", async () => {
  const { kv, cleanup } = await tempKv("parley-ahead-");
  const failed = countFailedCommits();
  try {
    // The read's answer is held back until the other side's send has committed: the mark taken
    // when the read went out must already count as stale then.
    let answer!: () => void;
    const held = new Promise<void>((r) => answer = r);
    const reader = {
      getMany: async (k: Deno.KvKey[]) => {
        const entries = await kv.getMany(k);
        await held;
        return entries;
      },
    } as unknown as Deno.Kv;
    const ahead = readForSend(kv, "a", "b", undefined, reader);
    await new Promise((r) => setTimeout(r, 20));
    await sendMessage(kv, { from: "b", to: "a", text: "first" });
    answer();
    await sendMessage(kv, { from: "a", to: "b", text: "second", ahead });
    assert.equal(failed.failed, 0);
    assert.deepEqual((await log(kv, "b")).map((e) => e.seq), [1, 2]);
  } finally {
    failed.restore();
    await cleanup();
  }
});

Deno.test("send read ahead: a rate window that turned since the read counts in the new window", async () => {
  const { kv, cleanup } = await tempKv("parley-ahead-");
  try {
    const rate = rateStep("messages", "a", { count: 100, windowMs: 200 })!;
    await sendMessage(kv, { from: "a", to: "b", text: "one", rate });
    const before = rate.window();
    const ahead = readForSend(kv, "a", "b", rate);
    await ahead;
    // No write in between: only the window's key tells that the read is of the old window.
    await new Promise((r) => setTimeout(r, (before.key.at(-1) as number) + 200 - Date.now() + 5));
    await sendMessage(kv, { from: "a", to: "b", text: "two", rate, ahead });
    const after = rate.window();
    assert.notDeepEqual(after.key, before.key);
    assert.equal((await kv.get<number>(after.key)).value, 1, "the new window counts this send");
    assert.equal((await kv.get<number>(before.key)).value, 1, "the old one keeps its own");
  } finally {
    await cleanup();
  }
});

Deno.test("send read ahead: a read made for another pair never serves", async () => {
  const { kv, cleanup } = await tempKv("parley-ahead-");
  try {
    await sendMessage(kv, { from: "a", to: "c", text: "to c" });
    const ahead = readForSend(kv, "a", "c", undefined);
    await ahead;
    const m = await sendMessage(kv, { from: "a", to: "b", text: "to b", ahead });
    assert.equal((await kv.get<{ last_id: string }>(keys.dialog("a", "b"))).value?.last_id, m.id);
    assert.deepEqual((await log(kv, "a")).map((e) => e.seq), [1, 2]);
    assert.deepEqual((await log(kv, "b")).map((e) => e.seq), [1]);
  } finally {
    await cleanup();
  }
});

for (const budget of [100, 10]) {
  Deno.test(`send read ahead: overlapping sends, each with its read ahead, number every event once (${budget} checks)`, async () => {
    const { kv, cleanup } = await tempKv("parley-ahead-");
    setCheckBudget(kv, budget);
    const failed = countFailedCommits();
    try {
      // Six users, each writing to every other at once: every read ahead overlaps others' commits.
      const users = ["a", "b", "c", "d", "e", "f"];
      const sends = users.flatMap((from) =>
        users.filter((to) => to !== from).map((to) => {
          const rate = rateStep("messages", from, { count: 1000, windowMs: 60_000 });
          return sendMessage(kv, {
            from,
            to,
            text: `${from}>${to}`,
            rate,
            ahead: readForSend(kv, from, to, rate),
          });
        })
      );
      await Promise.all(sends);
      // Through KV Connect's budget writes commit one by one and race as they always did (the
      // retries read afresh); group commit orders them, so there nothing may fail.
      if (budget === 100) assert.equal(failed.failed, 0, JSON.stringify(groupCommitStats(kv)));
      for (const uid of users) {
        const seqs = (await log(kv, uid)).map((e) => e.seq);
        assert.deepEqual(
          seqs,
          Array.from({ length: 10 }, (_, i) => i + 1),
          `${uid}: gap-free, once each`,
        );
      }
      if (budget === 100) {
        assert.ok(groupCommitStats(kv).batches > 0, "some sends shared an atomic");
      }
    } finally {
      failed.restore();
      await cleanup();
    }
  });
}

Deno.test("send read ahead: a retention sweep that repairs the dialog makes the read stale, and no commit fails", async () => {
  const { kv, cleanup } = await tempKv("parley-ahead-");
  const failed = countFailedCommits();
  try {
    const cfg = loadConfig({ PARLEY_AUTH_SECRET: "s".repeat(40), PARLEY_RETENTION_DAYS: "1" });
    const old = await sendMessage(kv, { from: "a", to: "b", text: "old" });
    await new Promise((r) => setTimeout(r, 10));
    const kept = await sendMessage(kv, { from: "a", to: "b", text: "kept" });
    const ahead = readForSend(kv, "a", "b", undefined);
    await ahead;
    // A day after a moment between the two: the first message expires, both sides are repaired.
    const between = (ulidTime(old.id) + ulidTime(kept.id)) / 2;
    const swept = await sweepRetention(kv, cfg, new Date(between + 86_400_000));
    assert.equal(swept.messages, 1);
    await sendMessage(kv, { from: "a", to: "b", text: "new", ahead });
    assert.equal(failed.failed, 0, "the sweep's repair marked the read stale");
    assert.deepEqual((await log(kv, "b")).map((e) => e.seq), [1, 2, 3]);
    assert.equal((await kv.get<number>(keys.unread("b", "a"))).value, 2);
  } finally {
    failed.restore();
    await cleanup();
  }
});
