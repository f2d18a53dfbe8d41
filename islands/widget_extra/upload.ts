/** Sending images: client-side downscale to at most 1,600 px, then an upload with progress. */
import { type ApiErr, apiErr, clientId, errorOf, isMissing, passing } from "../widget/api_error.ts";
import type { Message } from "../widget/types.ts";
import {
  absorb,
  dialogPath,
  errorText,
  html,
  Icon,
  login,
  S,
  sendFailed,
  t,
  update,
  withExtra,
} from "./core.ts";
import { ATTACH } from "../widget/icons.ts";

/** Longest side an image is sent with. */
export const MAX_SIDE = 1600;

/**
 * The image to upload: small images as they are; larger ones redrawn on a canvas so the longer
 * side is MAX_SIDE (PNG stays PNG for transparency, the rest becomes JPEG). A PNG still over
 * `max` bytes (a photo saved as PNG) is re-encoded as JPEG, which is what fits. Rejects with
 * `invalid_image` when the browser cannot decode the file at all.
 */
export async function downscale(file: Blob, max = Infinity): Promise<Blob> {
  const bmp = await createImageBitmap(file).catch(() => {
    throw apiErr(400, "invalid_image");
  });
  const k = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
  if (k >= 1 && file.size <= max) return file;
  const c = document.createElement("canvas");
  c.width = bmp.width * k;
  c.height = bmp.height * k;
  c.getContext("2d")!.drawImage(bmp, 0, 0, c.width, c.height);
  const encode = (type: string) =>
    new Promise<Blob>((r) => c.toBlob((b) => r(b || file), type, 0.86));
  const out = await encode(file.type === "image/png" ? file.type : "image/jpeg");
  return out.size > max && out.type === "image/png" ? await encode("image/jpeg") : out;
}

/** Longest side of the preview sent with an image (the admin gallery's tiles). */
const THUMB_SIDE = 320;

/**
 * The preview sent beside an image: redrawn at most THUMB_SIDE px on white (no transparency in a
 * JPEG), ≤ 60 KiB. Parley stores it with the message (it has no image codec of its own); null if
 * the browser cannot draw it, and the image goes alone.
 */
export async function thumbnail(image: Blob): Promise<Blob | null> {
  try {
    const bmp = await createImageBitmap(image);
    const k = Math.min(1, THUMB_SIDE / Math.max(bmp.width, bmp.height));
    const c = document.createElement("canvas");
    c.width = Math.max(1, Math.round(bmp.width * k));
    c.height = Math.max(1, Math.round(bmp.height * k));
    const g = c.getContext("2d")!;
    g.fillStyle = "#fff";
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(bmp, 0, 0, c.width, c.height);
    const out = await new Promise<Blob | null>((r) => c.toBlob(r, "image/jpeg", 0.72));
    return out && out.size <= 60 * 1024 ? out : null;
  } catch {
    return null;
  }
}

/**
 * Sends an image (multipart `image`, and its preview `thumb`) through XMLHttpRequest so the
 * composer can show upload progress; `abort()` cancels it (the promise then rejects with code "aborted").
 */
function uploadImage(
  peer: string,
  image: Blob,
  caption: Caption | undefined,
  thumb: Blob | null,
  cid: string,
  onProgress: (pct: number) => void,
) {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Message>((resolve, reject) => {
    const form = new FormData();
    form.append("image", image, "image." + image.type.slice(6));
    if (thumb) form.append("thumb", thumb, "thumb.jpg");
    if (caption?.text) form.append("text", caption.text);
    if (caption?.reply_to) form.append("reply_to", caption.reply_to);
    // The same id on every try: an upload whose answer was lost is stored once (200 then).
    form.append("client_id", cid);
    xhr.open("POST", `${S.base}${dialogPath(peer)}/messages`);
    xhr.setRequestHeader("authorization", `Bearer ${S.token}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded / e.total * 100);
    xhr.onload = () =>
      xhr.status === 201 || xhr.status === 200
        ? resolve(JSON.parse(xhr.responseText).message)
        : reject(errorOf(xhr.status, xhr.responseText, xhr.getResponseHeader("retry-after")));
    xhr.onerror = () => reject(apiErr(0, "network"));
    xhr.onabort = () => reject(apiErr(0, "aborted"));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

let queue = Promise.resolve();

/** What goes with an image: the caption and the quoted message (islands/widget_chat/caption.ts). */
export interface Caption {
  text: string;
  reply_to?: string;
}

/**
 * Sends an image into the dialog with `peer`; several picked or dropped at once (or one picked
 * during an upload) go one after another.
 */
export function sendImage(peer: string, file: File, caption?: Caption) {
  queue = queue.then(() => sendOne(peer, file, caption));
}

/** An image whose upload failed on the way (network, 5xx, 408, 429), kept to be sent again. */
interface Stuck {
  peer: string;
  blob: Blob;
  caption?: Caption;
  cid: string;
}
let stuck: Stuck[] = [];

let db: Promise<IDBDatabase | null> | undefined;
/** IndexedDB (it stores Blobs, localStorage cannot): where waiting images outlive a reload. */
function idb(): Promise<IDBDatabase | null> {
  return db ??= new Promise((done) => {
    try {
      const r = indexedDB.open("parley", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("images", { keyPath: "cid" });
      r.onsuccess = () => done(r.result);
      r.onerror = () => done(null);
    } catch {
      done(null); // no IndexedDB (private mode, sandboxed frame): they wait in this page only
    }
  });
}

/** Keeps a waiting image (tagged with its user) or, given its client_id, forgets it. */
async function keep(x: Stuck | string) {
  const os = (await idb())?.transaction("images", "readwrite").objectStore("images");
  typeof x === "string" ? os?.delete(x) : os?.put({ ...x, user: S.opts.user_id });
}

/** After a reload: this user's images that were waiting are shown again and sent when online. */
export async function restoreStuck() {
  // Sent with the session's token: wait for the sign-in.
  if (!S.me) return setTimeout(restoreStuck, 1e3);
  const r = (await idb())?.transaction("images").objectStore("images").getAll();
  if (r) {
    r.onsuccess = () => {
      const mine = (r.result as (Stuck & { user: string })[]).filter((x) =>
        x.user === String(S.opts.user_id) && !stuck.some((y) => y.cid === x.cid)
      );
      stuck.push(...mine);
      if (mine.length) navigator.onLine ? retryStuck() : showStuck();
    };
  }
}

/** The bar's "Image not sent" with Retry and Remove while images wait; none otherwise. */
function showStuck(why = "") {
  S.upload = stuck.length
    ? {
      pct: 0,
      failed: t("imgNotSent") + " " + why,
      retry: retryStuck,
      abort: () => (stuck.forEach((x) => keep(x.cid)), stuck = [], showStuck()),
    }
    : null;
  update();
}

/** Sends the waiting images again, in their order (Retry, or the network came back). */
function retryStuck() {
  const again = stuck;
  stuck = [];
  S.upload = null;
  update();
  for (const x of again) queue = queue.then(() => upload(x));
}
addEventListener("online", () => stuck.length && retryStuck());

/** Downscales one image, then uploads it. */
async function sendOne(peer: string, file: File, caption?: Caption) {
  let blob: Blob;
  try {
    blob = await downscale(file, S.feat.max_image_bytes);
  } catch (e) {
    return sendFailed(peer, e);
  }
  if (blob.size > S.feat.max_image_bytes) return sendFailed(peer, apiErr(400, "image_too_large"));
  await upload({ peer, blob, caption, cid: clientId() });
}

/** Uploads one image, showing progress; a failure on the way keeps it (showStuck). */
async function upload(x: Stuck) {
  // XHR does not sign in again by itself: renew a token about to expire first.
  if (Date.now() > S.expires! - 60e3) await login().catch(() => {});
  const up = uploadImage(x.peer, x.blob, x.caption, await thumbnail(x.blob), x.cid, (pct) => {
    S.upload!.pct = pct;
    update();
  });
  S.upload = { pct: 0, abort: up.abort };
  S.sendError = "";
  update();
  try {
    absorb(await up.done);
    keep(x.cid);
  } catch (e) {
    const { code } = e as ApiErr;
    // An older server answers multipart with unsupported_content_type: no uploads there.
    if (isMissing(e) || code === "unsupported_content_type") S.feat.upload = false;
    if (code === "aborted") {
      // cancelled by the user: nothing to keep
    } else if (passing(e as ApiErr)) {
      stuck.push(x);
      keep(x);
      return showStuck(errorText(e));
    } else {
      sendFailed(x.peer, e);
      keep(x.cid);
    }
  }
  showStuck();
}

/**
 * Sends the images among dropped, pasted or picked files; anything else is refused aloud. Text
 * typed in the box goes with the first image as its caption.
 */
export function sendFiles(peer: string, files: File[]) {
  const images = files.filter((f) => /^image\//.test(f.type));
  if (!S.feat.upload || !images.length) {
    S.sendError = t(S.feat.upload ? "notImage" : "noUpload");
    return update();
  }
  withExtra((x) => {
    const caption = x.takeCaption(peer);
    images.forEach((f, i) => sendImage(peer, f, i ? undefined : caption));
  });
}

function onPick(e: Event) {
  const input = e.currentTarget as HTMLInputElement;
  sendFiles(S.peer!, [...input.files ?? []]);
  input.value = "";
}

/** The composer's attach button (a label around a hidden file input: several images at once). */
export function Attach() {
  return html`<label class="icon attach" title=${t("attach")}>${
    Icon(ATTACH)
  }<input type="file" accept="image/*"
    multiple class="sr" aria-label=${t("attach")} onChange=${onPick} /></label>`;
}
