import assert from "node:assert/strict";
import {
  commitOrDiscard,
  commitStagedOps,
  getAttachment,
  PENDING_MS,
  readAttachmentBytes,
  stageUpload,
  sweepOrphanUploads,
} from "../../kv/media/attachments.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { sniffImage } from "../../services/content/images.ts";
import { makePng } from "../support/image_fixtures.ts";

async function keysOf(kv: Deno.Kv, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of kv.list({ prefix: [prefix] })) out.push(JSON.stringify(e.key));
  return out;
}

async function image(w: number, h: number) {
  const bytes = await makePng(w, h, true);
  const sniffed = sniffImage(bytes);
  assert.ok(sniffed.ok);
  return { bytes, info: sniffed.image };
}

Deno.test("upload sweep: expired orphans go, committed uploads and fresh ones stay", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = Date.now();
    const route = { from: "alice", to: "bob" };
    const kept = await image(200, 150);
    const committed = await stageUpload(kv, kept.bytes, kept.info, route, now);
    await sendMessage(kv, {
      ...route,
      text: "",
      attachment: committed.attachment,
      also: commitStagedOps(committed),
    });
    const lost = await image(100, 100);
    const orphan = await stageUpload(kv, lost.bytes, lost.info, route, now); // its send never came
    assert.equal((await keysOf(kv, "att_pending")).length, 1);

    assert.equal(await sweepOrphanUploads(kv, now + PENDING_MS - 1), 0, "not expired yet");
    assert.ok((await keysOf(kv, "att_chunk")).some((k) => k.includes(orphan.attachment.id)));

    assert.equal(await sweepOrphanUploads(kv, now + PENDING_MS + 1), 1);
    assert.deepEqual(await keysOf(kv, "att_pending"), []);
    const chunks = await keysOf(kv, "att_chunk");
    assert.equal(chunks.filter((k) => k.includes(orphan.attachment.id)).length, 0);
    assert.equal(chunks.filter((k) => k.includes(committed.attachment.id)).length, 2);
    const rec = await getAttachment(kv, committed.attachment.id);
    assert.deepEqual(await readAttachmentBytes(kv, rec!), kept.bytes);
    assert.equal(await getAttachment(kv, orphan.attachment.id), null);
  } finally {
    kv.close();
  }
});

Deno.test("upload sweep: a failure after the message committed does not delete its image", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const img = await image(50, 50);
    const staged = await stageUpload(kv, img.bytes, img.info, { from: "a", to: "b" });
    // The send commits, then something after it throws: the discard must see the marker gone.
    await assert.rejects(
      commitOrDiscard(kv, staged, async () => {
        await sendMessage(kv, {
          from: "a",
          to: "b",
          text: "",
          attachment: staged.attachment,
          also: commitStagedOps(staged),
        });
        throw new Error("later step failed");
      }),
      /later step failed/,
    );
    const rec = await getAttachment(kv, staged.attachment.id);
    assert.deepEqual(await readAttachmentBytes(kv, rec!), img.bytes);
  } finally {
    kv.close();
  }
});
