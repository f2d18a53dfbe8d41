/**
 * Real image bytes built in code for the tests: a decodable PNG (zlib via CompressionStream, real
 * CRCs), a decodable 1-pixel-frame GIF, and JPEG / WebP headers as their specs lay them out.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function concat(...parts: (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : new Uint8Array(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const be16 = (n: number) => [(n >>> 8) & 255, n & 255];
const le16 = (n: number) => [n & 255, (n >>> 8) & 255];
const le24 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255];
const le32 = (n: number) => [...le16(n & 0xffff), ...le16(n >>> 16)];
const text = (s: string) => [...new TextEncoder().encode(s)];

function pngChunk(type: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const body = concat(text(type), data);
  return concat(be32(data.length), body, be32(crc32(body)));
}

async function zlib(raw: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A valid 8-bit RGB PNG of `width` x `height`. `noise` fills it with random pixels so it does not
 * compress (a big file from a small image, to exercise chunked storage).
 */
export async function makePng(
  width: number,
  height: number,
  noise: boolean | ((x: number, y: number) => [number, number, number]) = false,
): Promise<Uint8Array<ArrayBuffer>> {
  const row = 1 + width * 3; // filter byte + RGB
  const raw = new Uint8Array(row * height);
  if (typeof noise === "function") {
    // A picture: each pixel's colour from the function (filter type "none" on every row).
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) raw.set(noise(x, y), y * row + 1 + x * 3);
    }
  } else if (noise) {
    for (let i = 0; i < raw.length; i += 65536) {
      crypto.getRandomValues(raw.subarray(i, Math.min(raw.length, i + 65536)));
    }
    for (let y = 0; y < height; y++) raw[y * row] = 0; // filter type "none"
  } else {
    for (let i = 0; i < raw.length; i++) raw[i] = i % row === 0 ? 0 : 200;
  }
  const ihdr = new Uint8Array([...be32(width), ...be32(height), 8, 2, 0, 0, 0]);
  return concat(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", await zlib(raw)),
    pngChunk("IEND", new Uint8Array()),
  );
}

/** A valid GIF89a with the given logical screen and one black 1x1 frame. */
export function makeGif(width: number, height: number): Uint8Array<ArrayBuffer> {
  return concat(
    text("GIF89a"),
    le16(width),
    le16(height),
    [0x80, 0, 0], // global colour table of 2 entries
    [0, 0, 0, 255, 255, 255],
    [0x2c, ...le16(0), ...le16(0), ...le16(1), ...le16(1), 0],
    [0x02, 0x02, 0x44, 0x01, 0x00], // LZW min code size 2, one data block, terminator
    [0x3b],
  );
}

/** JPEG headers: SOI, JFIF APP0, optional EXIF APP1 with an orientation, DQT, SOF0, EOI. */
export function makeJpeg(
  width: number,
  height: number,
  opts: { orientation?: number; sofMarker?: number; bigEndianExif?: boolean } = {},
): Uint8Array<ArrayBuffer> {
  const app0 = [0xff, 0xe0, ...be16(16), ...text("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  let app1: number[] = [];
  if (opts.orientation) {
    const mm = opts.bigEndianExif ?? false;
    const u16 = mm ? be16 : le16;
    const u32 = mm ? be32 : le32;
    const tiff = [
      ...text(mm ? "MM" : "II"),
      ...u16(42),
      ...u32(8), // IFD0 right after the header
      ...u16(2), // two entries: a harmless one, then Orientation
      ...u16(0x010f), // Make (ASCII, offset not followed)
      ...u16(2),
      ...u32(4),
      ...text("Cam\0"),
      ...u16(0x0112),
      ...u16(3), // SHORT
      ...u32(1),
      ...u16(opts.orientation),
      0,
      0,
      ...u32(0), // no next IFD
    ];
    const body = [...text("Exif\0\0"), ...tiff];
    app1 = [0xff, 0xe1, ...be16(body.length + 2), ...body];
  }
  const dqt = [0xff, 0xdb, ...be16(67), 0, ...new Array(64).fill(1)];
  const sof = [
    0xff,
    opts.sofMarker ?? 0xc0,
    ...be16(17),
    8,
    ...be16(height),
    ...be16(width),
    3,
    ...[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
  ];
  // A fill byte before SOF is legal and must be skipped.
  return concat([0xff, 0xd8], app0, app1, dqt, [0xff], sof, [0xff, 0xd9]);
}

function riff(chunk: string, data: number[]): Uint8Array<ArrayBuffer> {
  const payload = [...text(chunk), ...le32(data.length), ...data];
  if (data.length % 2) payload.push(0);
  return concat(text("RIFF"), le32(4 + payload.length), text("WEBP"), payload);
}

/** WebP, lossy: a VP8 key-frame header with 14-bit sizes (the top 2 bits are the scale). */
export function makeWebpLossy(width: number, height: number): Uint8Array<ArrayBuffer> {
  return riff("VP8 ", [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height), 0, 0]);
}

/** WebP, lossless: VP8L signature 0x2f, then width-1 and height-1 packed in 14 bits each. */
export function makeWebpLossless(width: number, height: number): Uint8Array<ArrayBuffer> {
  const bits = ((width - 1) | ((height - 1) << 14)) >>> 0;
  return riff("VP8L", [0x2f, ...le32(bits), 0]);
}

/** WebP, extended: VP8X with the canvas size minus one in 24 bits each. */
export function makeWebpExtended(width: number, height: number): Uint8Array<ArrayBuffer> {
  return riff("VP8X", [0x10, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)]);
}

/**
 * A GIF89a with the given logical screen and one image descriptor per frame `[x, y, w, h]`
 * (each with a 1-pixel LZW body, as the descriptor's size is all a decoder allocates from).
 */
export function makeGifFrames(
  width: number,
  height: number,
  frames: [number, number, number, number][],
): Uint8Array<ArrayBuffer> {
  return concat(
    text("GIF89a"),
    le16(width),
    le16(height),
    [0x80, 0, 0],
    [0, 0, 0, 255, 255, 255],
    [0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00], // graphic control: 0.1 s per frame
    ...frames.map(([x, y, w, h]) =>
      concat([0x2c, ...le16(x), ...le16(y), ...le16(w), ...le16(h), 0], [0x02, 0x02, 0x44, 0x01, 0])
    ),
    [0x3b],
  );
}

/** An animated PNG: a real `makePng` canvas plus acTL and one fcTL per frame `[x, y, w, h]`. */
export async function makeApng(
  width: number,
  height: number,
  frames: [number, number, number, number][],
): Promise<Uint8Array<ArrayBuffer>> {
  const png = await makePng(width, height);
  const ihdrEnd = 8 + 25;
  const actl = pngChunk("acTL", new Uint8Array([...be32(frames.length), ...be32(0)]));
  const fctls = frames.map(([x, y, w, h], i) =>
    pngChunk(
      "fcTL",
      new Uint8Array([
        ...be32(i),
        ...be32(w),
        ...be32(h),
        ...be32(x),
        ...be32(y),
        0,
        1,
        0,
        10,
        0,
        0,
      ]),
    )
  );
  return concat(png.subarray(0, ihdrEnd), actl, ...fctls, png.subarray(ihdrEnd));
}

/** An animated WebP: VP8X (animation flag) and ANIM, then one ANMF per frame `[x, y, w, h]`. */
export function makeWebpAnimated(
  width: number,
  height: number,
  frames: [number, number, number, number][],
): Uint8Array<ArrayBuffer> {
  const chunk = (id: string, data: number[]) => [
    ...text(id),
    ...le32(data.length),
    ...data,
    ...(data.length % 2 ? [0] : []),
  ];
  const payload = [
    ...chunk("VP8X", [0x12, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)]),
    ...chunk("ANIM", [0, 0, 0, 0, 0, 0]),
    ...frames.flatMap(([x, y, w, h]) =>
      chunk("ANMF", [...le24(x / 2), ...le24(y / 2), ...le24(w - 1), ...le24(h - 1), 100, 0, 0, 0])
    ),
  ];
  return concat(text("RIFF"), le32(4 + payload.length), text("WEBP"), payload);
}
