/** Sending images: client-side downscale to at most 1,600 px, then an upload with progress. */
import { type ApiErr, apiErr, errorOf, isMissing } from "../widget/api_error.ts";
import type { Message } from "../widget/types.ts";
import { absorb, dialogPath, login, S, sendFailed, update } from "./core.ts";

/** Longest side an image is sent with. */
export const MAX_SIDE = 1600;

/**
 * The image to upload: small images as they are; larger ones redrawn on a canvas so the longer
 * side is MAX_SIDE (PNG stays PNG for transparency, the rest becomes JPEG). Undecodable files go
 * as they are and the server judges them.
 */
export async function downscale(file: Blob): Promise<Blob> {
  try {
    const bmp = await createImageBitmap(file);
    const k = MAX_SIDE / Math.max(bmp.width, bmp.height);
    if (k >= 1) return file;
    const c = document.createElement("canvas");
    c.width = bmp.width * k;
    c.height = bmp.height * k;
    c.getContext("2d")!.drawImage(bmp, 0, 0, c.width, c.height);
    const type = file.type === "image/png" ? file.type : "image/jpeg";
    return await new Promise((r) => c.toBlob((b) => r(b || file), type, 0.86));
  } catch {
    return file;
  }
}

/**
 * Sends an image (multipart `image`) through XMLHttpRequest so the composer can show upload
 * progress; `abort()` cancels it (the promise then rejects with code "aborted").
 */
function uploadImage(peer: string, image: Blob, onProgress: (pct: number) => void) {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Message>((resolve, reject) => {
    const form = new FormData();
    form.append("image", image, "image." + image.type.slice(6));
    xhr.open("POST", `${S.base}${dialogPath(peer)}/messages`);
    xhr.setRequestHeader("authorization", `Bearer ${S.token}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded / e.total * 100);
    xhr.onload = () =>
      xhr.status === 201
        ? resolve(JSON.parse(xhr.responseText).message)
        : reject(errorOf(xhr.status, xhr.responseText, xhr.getResponseHeader("retry-after")));
    xhr.onerror = () => reject(apiErr(0, "network"));
    xhr.onabort = () => reject(apiErr(0, "aborted"));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/** Downscales and uploads an image into the dialog with `peer`, showing progress and errors. */
export async function sendImage(peer: string, file: File) {
  if (S.upload) return;
  const blob = await downscale(file);
  const bad = !/^image\//.test(file.type)
    ? "unsupported_image"
    : blob.size > S.feat.max_image_bytes
    ? "image_too_large"
    : "";
  if (bad) return sendFailed(peer, apiErr(400, bad));
  // XHR does not sign in again by itself: renew a token about to expire first.
  if (Date.now() > S.expires! - 60e3) await login().catch(() => {});
  const up = uploadImage(peer, blob, (pct) => {
    S.upload!.pct = pct;
    update();
  });
  S.upload = { pct: 0, abort: up.abort };
  S.sendError = "";
  update();
  try {
    absorb(await up.done);
  } catch (e) {
    const { code } = e as ApiErr;
    // An older server answers multipart with unsupported_content_type: no uploads there.
    if (isMissing(e) || code === "unsupported_content_type") S.feat.upload = false;
    if (code !== "aborted") sendFailed(peer, e);
  }
  S.upload = null;
  update();
}
