/**
 * Recognises an uploaded image by its bytes alone (never by the client's content type) and reads
 * its pixel size from the header, without decoding it. Pure: no I/O, safe on hostile input.
 */

export type ImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

export interface ImageInfo {
  type: ImageType;
  width: number;
  height: number;
}

/** Why bytes are not an image we accept: an unknown format, or a known one with a broken header. */
export type ImageProblem = "unknown_format" | "corrupt_header";

export type SniffResult = { ok: true; image: ImageInfo } | { ok: false; problem: ImageProblem };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  return b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
}

function ascii(b: Uint8Array, at: number, len: number): string {
  return at + len <= b.length ? String.fromCharCode(...b.subarray(at, at + len)) : "";
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u24le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const u32be = (b: Uint8Array, i: number) =>
  ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + u16be(b, i + 2);
const u32le = (b: Uint8Array, i: number) => (u24le(b, i) + ((b[i + 3] << 24) >>> 0));

/** Detects PNG, JPEG, GIF or WebP by magic bytes and reads width and height from the header. */
export function sniffImage(b: Uint8Array): SniffResult {
  let type: ImageType;
  let size: [number, number] | null;
  if (startsWith(b, PNG_SIGNATURE)) [type, size] = ["image/png", pngSize(b)];
  else if (startsWith(b, [0xff, 0xd8, 0xff])) [type, size] = ["image/jpeg", jpegSize(b)];
  else if (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a") {
    [type, size] = ["image/gif", gifSize(b)];
  } else if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") {
    [type, size] = ["image/webp", webpSize(b)];
  } else return { ok: false, problem: "unknown_format" };
  if (!size || size[0] < 1 || size[1] < 1) return { ok: false, problem: "corrupt_header" };
  return { ok: true, image: { type, width: size[0], height: size[1] } };
}

/** PNG: the first chunk must be IHDR; width and height are its first two big-endian words. */
function pngSize(b: Uint8Array): [number, number] | null {
  if (b.length < 24 || ascii(b, 12, 4) !== "IHDR") return null;
  return [u32be(b, 16), u32be(b, 20)];
}

/** GIF: the logical screen descriptor right after the signature (little-endian). */
function gifSize(b: Uint8Array): [number, number] | null {
  if (b.length < 10) return null;
  return [u16le(b, 6), u16le(b, 8)];
}

/** WebP: lossy (VP8 frame header), lossless (VP8L bit-packed size) or extended (VP8X canvas). */
function webpSize(b: Uint8Array): [number, number] | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8 ") {
    // Frame tag (3 bytes), then the key-frame start code 9d 01 2a, then 14-bit sizes.
    if (b.length < 30 || !startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return [u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff];
  }
  if (chunk === "VP8L") {
    if (b.length < 25 || b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === "VP8X") {
    if (b.length < 30) return null;
    return [u24le(b, 24) + 1, u24le(b, 27) + 1];
  }
  return null;
}

// SOFn markers carry the frame size; C4 (DHT), C8 (JPG extension) and CC (DAC) share the range.
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
// Markers without a length field: TEM, RSTn, SOI.
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd8);

/**
 * JPEG: walks the marker segments up to the first SOFn frame header. Reports the size as shown:
 * an EXIF orientation of 5-8 (rotated a quarter turn) swaps width and height, as browsers do.
 */
function jpegSize(b: Uint8Array): [number, number] | null {
  let i = 2;
  let rotated = false;
  while (i < b.length) {
    if (b[i] !== 0xff) return null;
    while (b[i] === 0xff) i++; // fill bytes
    if (i >= b.length) return null;
    const marker = b[i++];
    if (standalone(marker)) continue;
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / scan before any frame
    if (i + 2 > b.length) return null;
    const len = u16be(b, i);
    if (len < 2 || i + len > b.length) return null;
    if (isSof(marker)) {
      if (len < 7) return null;
      const height = u16be(b, i + 3);
      const width = u16be(b, i + 5);
      return rotated ? [height, width] : [width, height];
    }
    if (marker === 0xe1) rotated = exifRotated(b.subarray(i + 2, i + len));
    i += len;
  }
  return null;
}

/** True when an APP1 EXIF block's IFD0 Orientation tag (0x0112) is 5-8. Lenient: false on damage. */
function exifRotated(app1: Uint8Array): boolean {
  if (ascii(app1, 0, 6) !== "Exif\0\0") return false;
  const t = app1.subarray(6);
  const order = ascii(t, 0, 2);
  if (order !== "II" && order !== "MM") return false;
  const le = order === "II";
  const r16 = (i: number) => (i + 2 <= t.length ? (le ? u16le(t, i) : u16be(t, i)) : -1);
  const r32 = (i: number) => (i + 4 <= t.length ? (le ? u32le(t, i) : u32be(t, i)) : -1);
  const ifd = r32(4);
  const count = r16(ifd);
  if (ifd < 8 || count < 0) return false;
  for (let n = 0; n < count; n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > t.length) return false;
    if (r16(entry) === 0x0112) {
      const orientation = r16(entry + 8);
      return orientation >= 5 && orientation <= 8;
    }
  }
  return false;
}
