/**
 * Image URLs for <img src>: they carry a short-lived `images` ticket (POST /api/v1/tickets),
 * never the session token. A URL is kept per attachment, so re-renders never change a loaded
 * image's src and the browser's cache (immutable answers) keeps serving it after the ticket
 * rotated.
 */
import { call } from "./api.ts";
import { S, update } from "./store.ts";

/** A ticket for one purpose: `events` (one stream) or `images`. */
export const getTicket = (purpose: string) =>
  call<{ ticket: string; expires_at: string }>("POST", "/api/v1/tickets", { purpose });

let ticket = "";
let expires = 0;
let asking = false;
const urls = new Map<string, string>();

/** The src of attachment `id`, or "" while a ticket is being fetched (a re-render follows). */
export function imageUrl(id: string): string {
  let url = urls.get(id);
  if (url) return url;
  const left = expires - Date.now();
  if (left < 60_000 && !asking) {
    asking = true;
    getTicket("images").then((r) => {
      ticket = r.ticket;
      expires = Date.parse(r.expires_at);
      update();
    }, () => {}).finally(() => asking = false);
  }
  if (left < 5_000) return "";
  urls.set(id, url = `${S.base}/api/v1/attachments/${id}?ticket=${ticket}`);
  return url;
}
