/**
 * Thumbnails stored at upload. Parley has no image codec (a pure-JS JPEG decode of a 1600×900
 * photo took 2.7–4.3 s of CPU on the development machine, too much for a request), so the preview
 * is drawn by the sender's browser, which already decodes and redraws the image to downscale it,
 * and sent with it as the `thumb` field. The server checks what it can: a PNG, JPEG or WebP of at
 * most THUMB_SIDE px and THUMB_BYTES, with the image's aspect ratio. It cannot check that the
 * preview shows the same picture, so previews are for the gallery's tiles only; rows and the
 * full-size view load the image itself.
 */
import { ApiError } from "../../services/core/errors.ts";
import { sniffImage } from "../../services/content/images.ts";
import { keys } from "../keys.ts";
import type { Attachment } from "../types.ts";

/** Longest side of a preview (the widget draws 320 px; tiles are 140–300 px wide). */
export const THUMB_SIDE = 400;
/** One KV value, with room to spare under the 64 KiB limit. */
export const THUMB_BYTES = 60 * 1024;

export interface CheckedThumb {
  bytes: Uint8Array<ArrayBuffer>;
  meta: NonNullable<Attachment["thumb"]>;
}

function invalid(message: string): ApiError {
  return new ApiError(422, "invalid_thumb", message, "thumb");
}

/** A preview for `image` (its checked header): 422 `invalid_thumb` when it cannot be one. */
export function checkThumb(
  bytes: Uint8Array<ArrayBuffer>,
  image: { width: number; height: number },
): CheckedThumb {
  if (bytes.length > THUMB_BYTES) throw invalid(`thumb must be at most ${THUMB_BYTES} bytes`);
  const sniffed = sniffImage(bytes);
  if (!sniffed.ok || sniffed.image.type === "image/gif") {
    throw invalid("thumb must be a PNG, JPEG or WebP image");
  }
  const { width, height, type } = sniffed.image;
  if (width > THUMB_SIDE || height > THUMB_SIDE || width < 1 || height < 1) {
    throw invalid(`thumb must be at most ${THUMB_SIDE} px a side`);
  }
  // The image's shape, give or take the rounding of a side to whole pixels.
  const expected = image.width / image.height;
  const tolerance = expected * (1 / Math.min(width, height)) + 0.02 * expected;
  if (Math.abs(width / height - expected) > tolerance) {
    throw invalid("thumb must have the image's aspect ratio");
  }
  return { bytes, meta: { type, width, height, size: bytes.length } };
}

/** Adds the preview to the send's atomic, beside the attachment record. */
export function storeThumb(attachmentId: string, thumb: CheckedThumb) {
  return (op: Deno.AtomicOperation) => {
    op.set(keys.attachmentThumb(attachmentId), thumb.bytes);
  };
}

/** A stored preview's bytes (null: none, or gone with its image). */
export async function readThumb(kv: Deno.Kv, attachmentId: string) {
  return (await kv.get<Uint8Array>(keys.attachmentThumb(attachmentId))).value;
}
