/**
 * The admin indexes a send writes: the seen-users entry only with a dialog side's first message,
 * and "last active" once per sender and minute. Both are scattered keys, so each one left out is
 * a page of the SQLite file that a send does not rewrite; what the admin page shows stays the same.
 */
import assert from "node:assert/strict";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { indexMessage } from "../../kv/moderation/message_index.ts";
import { committed } from "../../kv/after_commit.ts";
import { keys } from "../../kv/keys.ts";
import { ulid, ulidTime } from "../../services/core/ids.ts";
import type { Message } from "../../kv/types.ts";

const stamps = async (kv: Deno.Kv, ks: Deno.KvKey[]) =>
  (await kv.getMany(ks)).map((e) => e.versionstamp);

Deno.test("admin index: seen users once per dialog side, last active once per sender and minute", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const watched = [keys.adminSeenUser("ann"), keys.adminSeenUser("bob"), keys.adminSentBy("ann")];
    const first = await sendMessage(kv, { from: "ann", to: "bob", text: "one" });
    const [seenAnn, seenBob, sentAnn] = await stamps(kv, watched);
    assert.ok(seenAnn && seenBob && sentAnn, "the first message writes all three");
    const second = await sendMessage(kv, { from: "ann", to: "bob", text: "two" });
    const after = await stamps(kv, watched);
    assert.equal(after[0], seenAnn, "ann's seen entry is not rewritten");
    assert.equal(after[1], seenBob, "bob's seen entry is not rewritten");
    const sameMinute = Math.floor(ulidTime(first.id) / 60_000) ===
      Math.floor(ulidTime(second.id) / 60_000);
    if (sameMinute) assert.equal(after[2], sentAnn, "a second message in the minute");
    else assert.notEqual(after[2], sentAnn, "a message of a new minute");
    // Bob's first message makes him active (receiving did not), without a new seen entry.
    await sendMessage(kv, { from: "bob", to: "ann", text: "three" });
    assert.ok((await kv.get(keys.adminSentBy("bob"))).value);
    assert.equal((await kv.get(keys.adminSeenUser("bob"))).versionstamp, seenBob);
    // A new dialog of ann's writes the new peer's entry (and ann's side of it is new too).
    await sendMessage(kv, { from: "ann", to: "cat", text: "hi" });
    assert.ok((await kv.get(keys.adminSeenUser("cat"))).value);
  } finally {
    kv.close();
  }
});

Deno.test("admin index: last active moves to the next minute, and a failed write is not remembered", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const t = Math.floor(Date.now() / 60_000) * 60_000;
    const msg = (ms: number): Message => ({
      id: ulid(ms),
      from: "dan",
      to: "eve",
      text: "x",
      created_at: new Date(ms).toISOString(),
      read_at: null,
    });
    const write = async (m: Message, fail = false) => {
      const op = kv.atomic();
      indexMessage(kv, op, m, null, null);
      // A failing check: nothing is stored, and nothing may be remembered as written.
      if (fail) op.check({ key: ["never"], versionstamp: "00000000000000000000" });
      const ok = (await op.commit()).ok;
      // As commitWithRetry and group commit do once a write is stored.
      if (ok) committed(op);
      return ok;
    };
    const sent = async () => (await kv.get<string>(keys.adminSentBy("dan"))).value;
    assert.equal(await write(msg(t + 1_000), true), false);
    const a = msg(t + 2_000);
    assert.equal(await write(a), true);
    assert.equal(await sent(), a.id, "written although a failed write came first in the minute");
    await write(msg(t + 3_000));
    assert.equal(await sent(), a.id, "the same minute: not rewritten");
    const b = msg(t + 61_000);
    await write(b);
    assert.equal(await sent(), b.id, "the next minute: rewritten");
  } finally {
    kv.close();
  }
});
