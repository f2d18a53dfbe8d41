/**
 * The batched import writer (kv/messaging/import_batch.ts) on its own: a window merged partly
 * before the process died, then read again, counts every unread message once; and an import into
 * a dialog that already has live messages leaves the live state in charge.
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { dyingKv } from "../support/dying_kv.ts";
import type { DialogSide } from "../../kv/messaging/dialogs.ts";
import { type ImportedMessage, MessageImport } from "../../kv/messaging/import_batch.ts";
import { sendMessage, unreadSummary } from "../../kv/messaging/messages.ts";
import { importedUlid } from "../../services/core/ids.ts";

const T0 = Date.parse("2016-02-01T00:00:00Z");

/** Row `n` of the original: from peer `p` to user "u", unread when `unread`. */
function row(n: number, peer: string, unread: boolean): ImportedMessage {
  const ms = T0 + n * 1000;
  return {
    source_id: n,
    message: {
      id: importedUlid(ms, "M", n),
      from: peer,
      to: "u",
      text: `message ${n}`,
      created_at: new Date(ms).toISOString(),
      read_at: unread ? null : new Date(ms + 500).toISOString(),
    },
  };
}

/** Twelve dialogs (peers p0..p11) with one read and two unread messages each. */
const PAGE = Array.from({ length: 12 }, (_, i) => [
  row(i * 3 + 1, `p${i}`, false),
  row(i * 3 + 2, `p${i}`, true),
  row(i * 3 + 3, `p${i}`, true),
]).flat();

Deno.test("import writer: a window read again after a partial merge counts unread once", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    // Commit 1 stores the records, 2 merges p0..p4; commit 3 (p5..p9) dies, and so on.
    const killed = new MessageImport(dyingKv(kv, 3));
    await killed.add(PAGE, () => {});
    await assert.rejects(killed.flush(), /killed/);
    const partly = await unreadSummary(kv, "u");
    assert.ok(partly.total > 0 && partly.total < 24, `merged partly: ${partly.total}`);

    const again = new MessageImport(kv);
    await again.add(PAGE, () => {});
    await again.flush();
    const summary = await unreadSummary(kv, "u");
    assert.equal(summary.total, 24);
    for (let i = 0; i < 12; i++) assert.equal(summary.by_user[`p${i}`], 2);
    const side = (await kv.get<DialogSide>(keys.dialog("u", "p0"))).value!;
    assert.equal(side.read_up_to, PAGE[0].message.id);
    assert.equal(side.last_id, PAGE[2].message.id);
    assert.equal(side.imported_upto, 3);
  } finally {
    kv.close();
  }
});

Deno.test("import writer: old messages go under live ones without moving the dialog", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const live = await sendMessage(kv, { from: "p0", to: "u", text: "live, after the switch" });
    const imp = new MessageImport(kv);
    await imp.add(PAGE.slice(0, 3), () => {});
    await imp.flush();
    const side = (await kv.get<DialogSide>(keys.dialog("u", "p0"))).value!;
    // The live message stays the last one; the two old unread ones add to the live unread one.
    assert.equal(side.last_id, live.id);
    assert.equal(side.last_message?.text, "live, after the switch");
    assert.equal(side.unread, 3);
    assert.equal(side.created_at, PAGE[0].message.created_at);
    const byTime = [];
    for await (const e of kv.list({ prefix: keys.dialogsByTime("u") })) byTime.push(e.key);
    assert.deepEqual(byTime, [keys.dialogByTime("u", live.id, "p0")]);
  } finally {
    kv.close();
  }
});
