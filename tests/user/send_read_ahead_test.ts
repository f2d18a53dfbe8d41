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
import { openKv } from "../../kv/open.ts";
import { api, login, removeKvFile, startServer } from "../support/helpers.ts";
import type { StoredEvent } from "../../kv/types.ts";

/** Records, in order, when each getMany/get goes out and when it is answered. */
function recordReads() {
  const proto = Deno.Kv.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const getMany = proto.getMany, get = proto.get;
  const log: { what: "asked" | "answered"; keys: string[] }[] = [];
  const wrap = (orig: (...a: unknown[]) => unknown, many: boolean) =>
    function (this: unknown, ...a: unknown[]) {
      const names = (many ? a[0] as unknown[] : [a[0]]).map((k) => JSON.stringify(k));
      log.push({ what: "asked", keys: names });
      return (orig.apply(this, a) as Promise<unknown>).then((v) => {
        log.push({ what: "answered", keys: names });
        return v;
      });
    };
  proto.getMany = wrap(getMany, true);
  proto.get = wrap(get, false);
  return {
    log,
    restore() {
      proto.getMany = getMany;
      proto.get = get;
    },
  };
}

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

async function tempKvPath() {
  return await Deno.makeTempFile({ prefix: "parley-ahead-", suffix: ".sqlite" });
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
  const rec = recordReads();
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    await login(s.url, "b");
    const sendOne = () =>
      api(s.url, "POST", "/api/v1/dialogs/b/messages", { token: a, json: { text: "hi" } });
    assert.equal((await sendOne()).status, 201);
    rec.log.length = 0;
    assert.equal((await sendOne()).status, 201);
    const has = (key: Deno.KvKey) => (e: { keys: string[] }) =>
      e.keys.includes(JSON.stringify(key));
    const asked = rec.log.filter((e) => e.what === "asked");
    const counters = asked.filter(has(keys.eventSeq("a")));
    assert.equal(counters.length, 1, `the counters are read once: ${JSON.stringify(asked)}`);
    assert.ok(counters[0].keys.includes(JSON.stringify(keys.eventSeq("b"))));
    assert.ok(counters[0].keys.includes(JSON.stringify(keys.dialog("a", "b"))));
    const askedAt = rec.log.indexOf(counters[0]);
    const banAnswered = rec.log.findIndex((e) => e.what === "answered" && has(keys.ban("a"))(e));
    assert.ok(banAnswered > 0, JSON.stringify(rec.log));
    assert.ok(
      askedAt < banAnswered,
      `the counters went out with the ban and block read, not after it: ${JSON.stringify(rec.log)}`,
    );
  } finally {
    rec.restore();
    await s.close();
  }
});

Deno.test("send read ahead: a read made stale by a local commit is read again, and no commit fails", async () => {
  const path = await tempKvPath();
  const kv = await openKv(path);
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
    kv.close();
    await removeKvFile(path);
  }
});

Deno.test("send read ahead: a read made stale by another isolate fails the checks, and the send reads again", async () => {
  const path = await tempKvPath();
  const kv = await openKv(path);
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
    kv.close();
    await removeKvFile(path);
  }
});
