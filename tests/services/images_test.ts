import assert from "node:assert/strict";
import { sniffImage } from "../../services/content/images.ts";
import {
  concat,
  makeGif,
  makeJpeg,
  makePng,
  makeWebpExtended,
  makeWebpLossless,
  makeWebpLossy,
} from "../support/image_fixtures.ts";

function size(bytes: Uint8Array) {
  const r = sniffImage(bytes);
  assert.ok(r.ok, `not recognised: ${JSON.stringify(r)}`);
  return [r.image.type, r.image.width, r.image.height];
}

Deno.test("images: PNG type and size come from the IHDR chunk", async () => {
  assert.deepEqual(size(await makePng(3, 2)), ["image/png", 3, 2]);
  assert.deepEqual(size(await makePng(8001, 1)), ["image/png", 8001, 1]);
});

Deno.test("images: GIF size comes from the logical screen descriptor", () => {
  assert.deepEqual(size(makeGif(640, 480)), ["image/gif", 640, 480]);
  const gif87 = makeGif(1, 65535);
  gif87.set(new TextEncoder().encode("87a"), 3);
  assert.deepEqual(size(gif87), ["image/gif", 1, 65535]);
});

Deno.test("images: JPEG size comes from the SOF marker after other segments", () => {
  assert.deepEqual(size(makeJpeg(1024, 768)), ["image/jpeg", 1024, 768]);
  // Progressive (SOF2) frames count too.
  assert.deepEqual(size(makeJpeg(300, 200, { sofMarker: 0xc2 })), ["image/jpeg", 300, 200]);
});

Deno.test("images: JPEG with EXIF orientation 6 or 8 reports the displayed (turned) size", () => {
  assert.deepEqual(size(makeJpeg(4000, 3000, { orientation: 6 })), ["image/jpeg", 3000, 4000]);
  const mm = makeJpeg(4000, 3000, { orientation: 8, bigEndianExif: true });
  assert.deepEqual(size(mm), ["image/jpeg", 3000, 4000]);
  assert.deepEqual(size(makeJpeg(4000, 3000, { orientation: 3 })), ["image/jpeg", 4000, 3000]);
});

Deno.test("images: WebP size from VP8, VP8L and VP8X headers", () => {
  assert.deepEqual(size(makeWebpLossy(550, 368)), ["image/webp", 550, 368]);
  assert.deepEqual(size(makeWebpLossless(16383, 1)), ["image/webp", 16383, 1]);
  assert.deepEqual(size(makeWebpExtended(9000, 12)), ["image/webp", 9000, 12]);
});

Deno.test("images: other formats are unknown whatever they claim to be", () => {
  const cases = [
    new Uint8Array(),
    new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"),
    new TextEncoder().encode("<html><script>alert(1)</script>"),
    new TextEncoder().encode("BM6\0\0\0"), // BMP
    concat([0, 0, 0, 0x18], new TextEncoder().encode("ftypheic")), // HEIC
    new TextEncoder().encode("RIFF\x10\0\0\0WAVEfmt "),
  ];
  for (const bytes of cases) {
    assert.deepEqual(sniffImage(bytes), { ok: false, problem: "unknown_format" });
  }
});

Deno.test("images: a known signature with a broken or truncated header is corrupt", async () => {
  const png = await makePng(2, 2);
  const noIhdr = png.slice();
  noIhdr.set(new TextEncoder().encode("IDAT"), 12);
  const zeroWide = png.slice();
  zeroWide.set([0, 0, 0, 0], 16);
  const jpegNoFrame = concat([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xda, 0, 2]);
  const jpegBadLength = concat([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0, 0]);
  const cases = [
    png.slice(0, 20),
    noIhdr,
    zeroWide,
    makeGif(0, 10),
    makeGif(5, 5).slice(0, 8),
    jpegNoFrame,
    jpegBadLength,
    makeJpeg(10, 10).slice(0, 40),
    makeWebpLossy(10, 10).slice(0, 26),
    concat(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP9 "), new Uint8Array(20)),
  ];
  for (const [i, bytes] of cases.entries()) {
    assert.deepEqual(sniffImage(bytes), { ok: false, problem: "corrupt_header" }, `case ${i}`);
  }
});
