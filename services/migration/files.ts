/**
 * The original's chatFiles/ folder: an image named by a message is read and recognised by its
 * bytes exactly like an upload (services/content/images.ts, the same size limits), never by its
 * file name. A missing, unreadable or unrecognised file is a problem for the report; its message
 * is imported without the image.
 */
import { type ImageInfo, sniffImage } from "../content/images.ts";
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE } from "../../kv/media/attachments.ts";
import type { Problem } from "./mapper.ts";

export type LoadedImage =
  | { ok: true; bytes: Uint8Array<ArrayBuffer>; info: ImageInfo }
  | { ok: false; problem: Problem };

/** Reads `name` from the chatFiles folder `dir` and checks it. */
export async function loadImage(dir: string, name: string, row: string): Promise<LoadedImage> {
  const path = `${dir.replace(/\/+$/, "")}/${name}`;
  const fail = (kind: Problem["kind"], detail: string): LoadedImage => ({
    ok: false,
    problem: { kind, row, detail: `${name}: ${detail}` },
  });
  let size: number;
  try {
    const st = await Deno.stat(path);
    if (!st.isFile) return fail("missing_image", "not a file");
    size = st.size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return fail("missing_image", "not found");
    return fail("missing_image", `unreadable (${e instanceof Error ? e.message : e})`);
  }
  if (size > MAX_IMAGE_BYTES) return fail("image_too_large", `${size} bytes`);
  if (size === 0) return fail("bad_image", "empty file");
  const bytes = await Deno.readFile(path);
  const sniffed = sniffImage(bytes);
  if (!sniffed.ok) return fail("bad_image", sniffed.problem.replace("_", " "));
  const { width, height } = sniffed.image;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    return fail("image_too_large", `${width}x${height} pixels`);
  }
  return { ok: true, bytes, info: sniffed.image };
}
