/**
 * Recognises an uploaded image by its bytes alone (never by the client's content type) and reads
 * its pixel size without decoding it: the header, and for animations every frame's own size (a
 * GIF image descriptor, an APNG `fcTL`, a WebP `ANMF`), because a viewer's browser decodes each
 * frame at the size the frame claims, whatever the header says. Pure: no I/O, linear in the
 * input, safe on hostile input.
 */

export type ImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

export interface ImageInfo {
  type: ImageType;
  /** The size shown: the canvas, grown to cover any frame that reaches past it. */
  width: number;
  height: number;
  /** Frames a viewer decodes (1 for a still image). */
  frames: number;
  /** What decoding costs a viewer: frames × width × height. */
  pixels: number;
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
  const anim = type === "image/gif"
    ? gifFrames(b)
    : type === "image/png"
    ? apngFrames(b)
    : type === "image/webp"
    ? webpFrames(b)
    : { frames: 1, width: 0, height: 0 };
  if (!anim) return { ok: false, problem: "corrupt_header" };
  const width = Math.max(size[0], anim.width);
  const height = Math.max(size[1], anim.height);
  const frames = Math.max(1, anim.frames);
  return { ok: true, image: { type, width, height, frames, pixels: frames * width * height } };
}

/** Frames of an animation and how far right and down any of them reaches (0: none seen). */
interface Frames {
  frames: number;
  width: number;
  height: number;
}

/** Adds a frame at (x, y) of w × h to `f`. */
function addFrame(f: Frames, x: number, y: number, w: number, h: number) {
  f.frames++;
  f.width = Math.max(f.width, x + w);
  f.height = Math.max(f.height, y + h);
}

/**
 * GIF: walks the blocks after the logical screen (extensions and their sub-blocks, image
 * descriptors with their local colour tables and LZW data) to the trailer, counting every image
 * descriptor's rectangle. A file cut short counts the frames before the cut, as browsers show
 * them; one without any image is corrupt.
 */
function gifFrames(b: Uint8Array): Frames | null {
  const f: Frames = { frames: 0, width: 0, height: 0 };
  let i = 13;
  if (b[10] & 0x80) i += 3 << ((b[10] & 7) + 1);
  const skipSubBlocks = () => {
    while (i < b.length && b[i] !== 0) i += b[i] + 1;
    i++;
  };
  while (i < b.length) {
    const block = b[i++];
    if (block === 0x3b) break;
    if (block === 0x21) {
      i++; // the extension's label
      skipSubBlocks();
    } else if (block === 0x2c) {
      if (i + 9 > b.length) break;
      addFrame(f, u16le(b, i), u16le(b, i + 2), u16le(b, i + 4), u16le(b, i + 6));
      const packed = b[i + 8];
      i += 9;
      if (packed & 0x80) i += 3 << ((packed & 7) + 1);
      i++; // LZW minimum code size
      skipSubBlocks();
    } else return f.frames ? f : null;
  }
  return f.frames ? f : null;
}

/**
 * PNG: walks the chunks; an animated PNG's `fcTL` chunks each give a frame's size and offset
 * (the default image counts as a frame only when `fcTL` precedes IDAT, which the walk sees
 * as one more fcTL). A still PNG is one frame.
 */
function apngFrames(b: Uint8Array): Frames | null {
  const f: Frames = { frames: 0, width: 0, height: 0 };
  let i = 8;
  while (i + 8 <= b.length) {
    const len = u32be(b, i);
    const type = ascii(b, i + 4, 4);
    if (type === "fcTL") {
      if (len < 26 || i + 8 + 26 > b.length) return null;
      const d = i + 8;
      addFrame(f, u32be(b, d + 12), u32be(b, d + 16), u32be(b, d + 4), u32be(b, d + 8));
    }
    if (type === "IEND") break;
    i += 12 + len;
  }
  return f;
}

/**
 * WebP: an extended file (VP8X) may hold an animation: every `ANMF` chunk is a frame with its
 * offset (24 bits, in 2-pixel units) and size (24 bits, minus one). Others are one frame.
 */
function webpFrames(b: Uint8Array): Frames | null {
  const f: Frames = { frames: 0, width: 0, height: 0 };
  if (ascii(b, 12, 4) !== "VP8X") return f;
  let i = 12;
  while (i + 8 <= b.length) {
    const id = ascii(b, i, 4);
    const len = u32le(b, i + 4);
    if (id === "ANMF") {
      if (len < 16 || i + 8 + 16 > b.length) return null;
      const d = i + 8;
      addFrame(f, u24le(b, d) * 2, u24le(b, d + 3) * 2, u24le(b, d + 6) + 1, u24le(b, d + 9) + 1);
    }
    i += 8 + len + (len & 1);
  }
  return f;
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
