/**
 * Animated images are checked frame by frame through the real upload API: a GIF, APNG or WebP
 * whose header is small but whose frames are huge (or too many) is refused before it is stored.
 */
import assert from "node:assert/strict";
import { MAX_IMAGE_PIXELS } from "../../kv/media/attachments.ts";
import { sniffImage } from "../../services/content/images.ts";
import { api, login, startServer } from "../support/helpers.ts";
import { makeApng, makeGifFrames, makeWebpAnimated } from "../support/image_fixtures.ts";

type Answer = {
  message?: { attachment: { width: number; height: number } };
  error?: { code: string };
};

function upload(base: string, token: string, bytes: Uint8Array<ArrayBuffer>) {
  const form = new FormData();
  form.set("image", new File([bytes], "a.png", { type: "image/png" }));
  return api<Answer>(base, "POST", "/api/v1/dialogs/b/messages", { token, body: form });
}

Deno.test("images: every frame's size counts, and the decoded pixels of all frames", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    await login(s.url, "b");
    const huge: [number, number, number, number] = [0, 0, 20000, 20000];
    const refused = {
      // The 35-byte GIF: a 1×1 screen, one 20000×20000 frame.
      "gif frame": makeGifFrames(1, 1, [huge]),
      "gif frame past the edge": makeGifFrames(100, 100, [[0, 0, 10, 10], [7995, 0, 10, 10]]),
      "apng frame": await makeApng(1, 1, [[0, 0, 1, 1], huge]),
      "webp frame": makeWebpAnimated(2, 2, [huge]),
      // 120 frames of 1000×1000: every side is fine, decoding them all is not.
      "gif frames in all": makeGifFrames(1000, 1000, Array(120).fill([0, 0, 1000, 1000])),
      "webp frames in all": makeWebpAnimated(1000, 1000, Array(120).fill([0, 0, 1000, 1000])),
    };
    for (const [what, bytes] of Object.entries(refused)) {
      const r = await upload(s.url, a, bytes);
      assert.equal(r.status, 422, what);
      assert.match(r.body.error!.code, /^image_too_(wide|many_pixels)$/, what);
    }
    // Real animations within the limits pass, with the size a viewer sees.
    const ok = {
      gif: makeGifFrames(300, 200, Array(20).fill([0, 0, 300, 200])),
      apng: await makeApng(64, 48, [[0, 0, 64, 48], [10, 10, 20, 20]]),
      webp: makeWebpAnimated(320, 240, [[0, 0, 320, 240], [100, 100, 50, 50]]),
    };
    const sizes = { gif: [300, 200], apng: [64, 48], webp: [320, 240] };
    for (const [what, bytes] of Object.entries(ok)) {
      const r = await upload(s.url, a, bytes);
      assert.equal(r.status, 201, `${what}: ${JSON.stringify(r.body)}`);
      const att = r.body.message!.attachment;
      assert.deepEqual([att.width, att.height], sizes[what as keyof typeof sizes], what);
    }
  } finally {
    await s.close();
  }
});

Deno.test("images: frame walking is linear and safe on truncated or hostile animations", async () => {
  const gif = makeGifFrames(10, 10, [[0, 0, 10, 10], [0, 0, 10, 10]]);
  const whole = sniffImage(gif);
  assert.ok(whole.ok);
  assert.equal(whole.image.frames, 2);
  assert.equal(whole.image.pixels, 200);
  // Cut inside the second frame: the first still counts, as browsers show it.
  const cut = sniffImage(gif.subarray(0, gif.length - 8));
  assert.ok(cut.ok && cut.image.frames === 1);
  // No frame at all is not an image.
  assert.deepEqual(sniffImage(gif.subarray(0, 19)), { ok: false, problem: "corrupt_header" });
  const apng = await makeApng(8, 8, [[0, 0, 8, 8], [0, 0, 4, 4], [4, 4, 4, 4]]);
  const a = sniffImage(apng);
  assert.ok(a.ok && a.image.frames === 3 && a.image.pixels === 3 * 64);
  // A long run of tiny frames is walked quickly and refused by its frame count × area.
  const many = makeGifFrames(100, 100, Array(50_000).fill([0, 0, 1, 1]));
  const m = sniffImage(many);
  assert.ok(m.ok && m.image.frames === 50_000 && m.image.pixels > MAX_IMAGE_PIXELS);
});
