import type { Context } from "hono";
import { MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from "../../kv/media/attachments.ts";
import { ApiError, badRequest } from "../../services/core/errors.ts";
import { type ImageInfo, sniffImage } from "../../services/content/images.ts";
import { readJson } from "../middleware.ts";
import { type CheckedThumb, checkThumb } from "../../kv/media/thumbnails.ts";

/** An image that passed every check, with what its header says. */
export interface CheckedImage {
  bytes: Uint8Array<ArrayBuffer>;
  info: ImageInfo;
}

/** A send request's fields; the text is still raw (the caller validates it). */
export interface SendBody {
  text: unknown;
  image: CheckedImage | null;
  /** The quoted message's id (kv/messaging/replies.ts), unchecked. */
  reply_to: unknown;
  /** The client's id of this send (kv/messaging/send_ids.ts), unchecked. */
  client_id: unknown;
  /** The image's preview drawn by the sender's browser (kv/media/thumbnails.ts), if sent. */
  thumb: CheckedThumb | null;
}

/**
 * Size, format by magic bytes (the client's content type and file name are ignored), and pixel
 * size from the header and every frame: 413 image_too_large, 415 unsupported_image, 422
 * image_too_wide (a side, the canvas or any frame, over 8000 px) or image_too_many_pixels.
 */
export function checkImage(bytes: Uint8Array<ArrayBuffer>): CheckedImage {
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new ApiError(413, "image_too_large", "the image is larger than 5 MB", "image");
  }
  const sniffed = sniffImage(bytes);
  if (!sniffed.ok) {
    throw new ApiError(
      415,
      "unsupported_image",
      sniffed.problem === "unknown_format"
        ? "the image must be a PNG, JPEG, GIF or WebP file"
        : "the image's header is damaged",
      "image",
    );
  }
  const { width, height } = sniffed.image;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new ApiError(
      422,
      "image_too_wide",
      `the image is ${width}x${height} px; at most ${MAX_IMAGE_SIDE} px a side`,
      "image",
    );
  }
  const { frames, pixels } = sniffed.image;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new ApiError(
      422,
      "image_too_many_pixels",
      `the image's ${frames} frame(s) would decode to ${Math.ceil(pixels / 1e6)} megapixels; ` +
        `at most ${MAX_IMAGE_PIXELS / 1e6}`,
      "image",
    );
  }
  return { bytes, info: sniffed.image };
}

/**
 * The body of `POST /dialogs/:peer/messages`: JSON `{text, reply_to?, client_id?}`, or
 * multipart/form-data with `text` (the image's caption), one `image` file and the same optional
 * fields. Only these fields are read, so nothing a client sends besides a real file
 * can make an attachment.
 */
export async function readSendBody(c: Context): Promise<SendBody> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (!type.startsWith("multipart/form-data")) {
    const json = await readJson(c);
    return {
      text: json.text,
      image: null,
      reply_to: json.reply_to,
      client_id: json.client_id,
      thumb: null,
    };
  }
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw badRequest("invalid_form", "the multipart body could not be read");
  }
  const [texts, images, replies, ids, thumbs] = ["text", "image", "reply_to", "client_id", "thumb"]
    .map((f) => form.getAll(f));
  if ([texts, images, replies, ids, thumbs].some((v) => v.length > 1)) {
    throw badRequest("invalid_form", "send at most one text and one image");
  }
  if (texts[0] instanceof File) throw badRequest("invalid_text", "text must be a string", "text");
  const [reply_to, client_id] = [replies[0], ids[0]].map((v) => v instanceof File ? 0 : v);
  const file = images[0];
  if (file !== undefined && !(file instanceof File)) {
    throw badRequest("invalid_image", "image must be a file", "image");
  }
  // The whole body is already bounded by the upload body limit, so buffering is safe.
  const image = file ? checkImage(new Uint8Array(await file.arrayBuffer())) : null;
  const thumbFile = thumbs[0];
  if (thumbFile !== undefined && (!(thumbFile instanceof File) || !image)) {
    throw badRequest("invalid_thumb", "thumb is a file, sent only with an image", "thumb");
  }
  const thumb = thumbFile
    ? checkThumb(new Uint8Array(await thumbFile.arrayBuffer()), image!.info)
    : null;
  return { text: texts[0] ?? "", image, reply_to, client_id, thumb };
}
