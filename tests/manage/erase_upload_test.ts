/**
 * Deleting a user during their upload: the upload fails with a 4xx (never a 500, never the
 * commit-retry loop giving up) and leaves no part behind, whether the delete lands between two
 * staging atomics or between staging and the message.
 */
import { wrapCommits } from "../support/dying_kv.ts";
import assert from "node:assert/strict";
import {
  commitOrDiscard,
  commitStagedOps,
  MAX_IMAGE_BYTES,
  stagedGuard,
  stageUpload,
} from "../../kv/media/attachments.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { eraseUser } from "../../kv/privacy/erase.ts";
import { ApiError } from "../../services/core/errors.ts";
import { login, send } from "../support/helpers.ts";
import { startManaged } from "../support/manage_helpers.ts";

const INFO = { type: "image/png" as const, width: 10, height: 10, frames: 1, pixels: 100 };

/** The same KV, except that after its first commit `between()` runs before the next. */
function pausingKv(kv: Deno.Kv, between: () => Promise<unknown>): Deno.Kv {
  return wrapCommits(kv, async (commit, n) => {
    if (n === 2) await between();
    return commit();
  });
}

async function chunkCount(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: ["att_chunk"] })) n++;
  return n;
}

const refused = (e: unknown) => e instanceof ApiError && (e.status === 409 || e.status === 410);

Deno.test("an erase between two staging atomics stops the upload with a 4xx, no parts left", async () => {
  const s = await startManaged();
  const kv = s.parley.deps.kv;
  try {
    await send(s.url, await login(s.url, "v"), "p1", "hello");
    const bytes = new Uint8Array(MAX_IMAGE_BYTES);
    const erased = { done: false };
    const staging = stageUpload(
      pausingKv(kv, async () => {
        await eraseUser(kv, "v");
        erased.done = true;
      }),
      bytes,
      INFO,
      { from: "v", to: "p1" },
    );
    await assert.rejects(staging, refused);
    assert.ok(erased.done);
    assert.equal(await chunkCount(kv), 0);
  } finally {
    await s.close({ erased: ["v"] });
  }
});

Deno.test("an erase between staging and the message refuses the send with a 4xx", async () => {
  const s = await startManaged();
  const kv = s.parley.deps.kv;
  try {
    await send(s.url, await login(s.url, "v"), "p1", "hello");
    const staged = await stageUpload(kv, new Uint8Array(200_000), INFO, { from: "v", to: "p1" });
    await eraseUser(kv, "v");
    const sending = commitOrDiscard(kv, staged, () =>
      sendMessage(kv, {
        from: "v",
        to: "p1",
        text: "",
        attachment: staged.attachment,
        guard: stagedGuard(staged),
        also: commitStagedOps(staged),
      }));
    await assert.rejects(sending, refused);
    assert.equal(await chunkCount(kv), 0);
  } finally {
    await s.close({ erased: ["v"] });
  }
});
