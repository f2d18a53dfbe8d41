/**
 * Whose presence a user may see. Online and last-seen are shown only across a relationship (a
 * dialog between the two, or a contact record of the viewer's), and never to someone the user
 * blocked: a stranger who opens a dialog sees the name and avatar (the host's profiles are public
 * to chat users) but presence reads as unknown, `{online: false, last_seen: null}`, exactly as
 * for someone who never signed in.
 */
import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";
import type { ContactRecord } from "./contact_index.ts";
import { presenceOf, type PresenceView } from "./presence.ts";

/** What hidden presence reads as. */
export const HIDDEN_PRESENCE: PresenceView = { online: false, last_seen: null };

/**
 * The presence of each of `peers` as `viewer` may see it. `related`: the caller already knows
 * every peer is a dialog partner or contact of the viewer (dialog and contact lists).
 */
export async function visiblePresence(
  kv: Deno.Kv,
  viewer: string,
  peers: string[],
  related = false,
): Promise<Map<string, PresenceView>> {
  const [presence, theirs, dialogs, mine] = await Promise.all([
    presenceOf(kv, peers),
    // The peer's own record of the viewer: has the peer blocked them?
    getManyChunked<ContactRecord>(kv, peers.map((p) => keys.contact(p, viewer))),
    related ? null : getManyChunked(kv, peers.map((p) => keys.dialog(viewer, p))),
    related ? null : getManyChunked(kv, peers.map((p) => keys.contact(viewer, p))),
  ]);
  return new Map(peers.map((p, i) => {
    const blocked = Boolean(theirs[i].value?.blocked);
    const known = related || dialogs![i].versionstamp !== null || mine![i].versionstamp !== null;
    return [p, blocked || !known ? HIDDEN_PRESENCE : presence.get(p)!];
  }));
}
