/**
 * Image URLs for <img src>: they carry a short-lived `images` ticket (POST /api/v1/tickets),
 * never the session token. A URL is kept per attachment, so re-renders never change a loaded
 * image's src and the browser's cache (immutable answers) keeps serving it after the ticket
 * rotated; an image that fails to load gets a URL with the current ticket once.
 */
import { call } from "./api.ts";
import { S, update } from "./store.ts";

let ticket = "";
let expires = 0;
let asking: Promise<void> | null = null;
const urls = new Map<string, string>();

function renew() {
  asking ??= call<{ ticket: string; expires_at: string }>("POST", "/api/v1/tickets", {
    purpose: "images",
  }).then((r) => {
    ticket = r.ticket;
    expires = Date.parse(r.expires_at);
    update();
  }, () => {}).finally(() => asking = null);
}

/** The src of attachment `id`, or "" while a ticket is being fetched (a re-render follows). */
export function imageUrl(id: string): string {
  const known = urls.get(id);
  if (known) return known;
  const left = expires - Date.now();
  if (left < 60_000) renew();
  if (left < 5_000) return "";
  const url = `${S.base}/api/v1/attachments/${id}?ticket=${ticket}`;
  urls.set(id, url);
  return url;
}

/** The image did not load: its ticket may have run out; retry once with the current one. */
export function imageFailed(id: string) {
  const url = urls.get(id);
  urls.delete(id);
  if (url && !url.endsWith(ticket)) update();
  else if (expires - Date.now() < 5_000) renew();
}
