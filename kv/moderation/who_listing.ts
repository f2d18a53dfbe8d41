/**
 * The monitor's filter, done by the server: every message of the users a text names (an exact
 * id, or a folded name or login: "ежик" finds "Ёжик", "4" is user 4 and not every id with a 4),
 * newest first, paged back. It is a merge of each matching user's own listing (one prefix scan
 * each), so a page costs at most MAX_USERS scans of `limit` entries.
 */
import { type AdminMessage, listAdminMessages } from "./message_listings.ts";
import { searchUsers } from "./user_search.ts";

/** The most users one filter covers; more matches ask for a more precise text. */
export const MAX_USERS = 10;

export interface WhoPage {
  messages: AdminMessage[];
  next_cursor: string | null;
  /** The users the text matched (at most MAX_USERS), by id. */
  matched: string[];
  /** More users matched than MAX_USERS: only the first ones' messages are listed. */
  truncated: boolean;
}

/** One page of the messages (sent or received) of the users `who` names. */
export async function listMessagesOfWho(
  kv: Deno.Kv,
  who: string,
  cursor: string | undefined,
  limit: number,
): Promise<WhoPage> {
  // The search answers after a scan budget; a few rounds cover a large user index.
  const users: string[] = [];
  let after: string | undefined;
  let unscanned = false;
  for (let round = 0; round < 5 && users.length <= MAX_USERS; round++) {
    const found = await searchUsers(kv, {
      q: who,
      cursor: after,
      limit: MAX_USERS + 1 - users.length,
      exactId: true,
    });
    users.push(...found.users.map((u) => u.profile.user_id));
    after = found.next_cursor ?? undefined;
    unscanned = after !== undefined;
    if (!unscanned) break;
  }
  const truncated = users.length > MAX_USERS || unscanned;
  const matched = users.slice(0, MAX_USERS);
  const pages = await Promise.all(
    matched.map((user) => listAdminMessages(kv, { user, cursor, limit })),
  );
  // A k-way merge by id (ids sort by time); a dialog of two matched users comes twice.
  const byId = new Map<string, AdminMessage>();
  for (const p of pages) for (const m of p.messages) byId.set(m.id, m);
  const all = [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
  const more = all.length > limit || pages.some((p) => p.next_cursor !== null);
  const messages = all.slice(0, limit);
  return {
    messages,
    next_cursor: more && messages.length ? messages.at(-1)!.id : null,
    matched,
    truncated,
  };
}
