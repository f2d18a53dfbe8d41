/**
 * Which images a moderator may open. Moderators do not browse private dialogs (kv/people/roles.ts),
 * but a complaint's view shows them the messages around the reported one, images included. Each
 * answer of that view (GET /api/v1/admin/complaints/:id) grants its moderator exactly the images
 * of the messages it shows, for GRANT_MS; the admin image route lets a moderator through only with
 * such a grant (403 `moderator_not_allowed` otherwise). A grant in KV, not a signed URL: the page's
 * <img> keeps its plain cookie URL, and it holds across instances. Opening the complaint again
 * renews it. Nothing is audited: the complaint view itself is not either.
 */
import { keys } from "../keys.ts";
import type { Message } from "../types.ts";

/** How long a complaint view's images stay open to its moderator. */
export const GRANT_MS = 30 * 60_000;

/** What a grant records: until when (ms; expireIn only sets the earliest deletion). */
export interface ImageGrant {
  until: number;
}

/** Mutations per atomic (well within KV's 1,000; a context has at most 101 messages). */
const CHUNK = 200;

/** Grants `uid` the images of `messages` (those that have one) for GRANT_MS from now. */
export async function grantImages(
  kv: Deno.Kv,
  uid: string,
  messages: Pick<Message, "attachment">[],
  now = Date.now(),
): Promise<number> {
  const ids = [...new Set(messages.flatMap((m) => m.attachment ? [m.attachment.id] : []))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const op = kv.atomic();
    for (const id of ids.slice(i, i + CHUNK)) {
      op.set(keys.imageGrant(uid, id), { until: now + GRANT_MS } satisfies ImageGrant, {
        expireIn: GRANT_MS,
      });
    }
    // Blind writes of independent keys: a lost race with another view of the same complaint
    // writes the same grant.
    await op.commit();
  }
  return ids.length;
}

/** Whether `uid` holds an unexpired grant for the image `attachmentId`. */
export async function hasImageGrant(
  kv: Deno.Kv,
  uid: string,
  attachmentId: string,
  now = Date.now(),
): Promise<boolean> {
  const grant = (await kv.get<ImageGrant>(keys.imageGrant(uid, attachmentId))).value;
  return grant !== null && grant.until > now;
}
