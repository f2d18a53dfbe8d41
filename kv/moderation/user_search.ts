/**
 * Finding users for admins, by id, login or name (case- and diacritics-insensitive). The
 * candidates are everyone with a cached profile and everyone who sent or received a message (in
 * signed mode many users never have a profile); both indexes are keyed by user id, so they are
 * merged in id order and paged with the last scanned id as the cursor.
 */
import { fold } from "../../services/core/fold.ts";
import { ulidTime } from "../../services/core/ids.ts";
import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";
import type { UserProfile } from "../types.ts";
import { placeholderProfile } from "../people/users.ts";

/** Ids scanned per index per round, and at most per request before answering with a cursor. */
const ROUND = 200;
const BUDGET = 2000;

export interface FoundUser {
  profile: UserProfile;
  /** When they last sent a message (null: never; receiving is not activity). */
  last_active: string | null;
}

async function idsAfter(kv: Deno.Kv, prefix: Deno.KvKey, after: string | undefined) {
  const ids: string[] = [];
  const iter = kv.list(
    after !== undefined ? { prefix, start: [...prefix, after + "\0"] } : { prefix },
    { limit: ROUND },
  );
  for await (const e of iter) ids.push(e.key[1] as string);
  return { ids, full: ids.length === ROUND };
}

/**
 * One page of users matching `q` (all users when `q` is empty), ordered by id; `scanned` is how
 * many users it looked at (a page may be short, even empty, and still have a `next_cursor`).
 */
export async function searchUsers(
  kv: Deno.Kv,
  opts: {
    q: string;
    cursor?: string;
    limit: number;
    /** An id matches only as a whole ("4" is user 4, not every id with a 4); names still fold. */
    exactId?: boolean;
  },
): Promise<{ users: FoundUser[]; next_cursor: string | null; scanned: number }> {
  const needle = fold(opts.q.trim());
  const users: FoundUser[] = [];
  let cursor = opts.cursor;
  let scanned = 0;
  while (scanned < BUDGET) {
    const [a, b] = await Promise.all([
      idsAfter(kv, keys.users(), cursor),
      idsAfter(kv, keys.adminSeenUsers(), cursor),
    ]);
    // A full batch may have more ids past its last one: only ids up to that horizon are complete.
    let horizon: string | null = null;
    for (const x of [a, b]) {
      if (x.full && (horizon === null || x.ids.at(-1)! < horizon)) horizon = x.ids.at(-1)!;
    }
    const ids = [...new Set([...a.ids, ...b.ids])]
      .filter((id) => horizon === null || id <= horizon)
      .sort();
    if (ids.length === 0) break;
    const [profiles, seen] = await Promise.all([
      getManyChunked<UserProfile>(kv, ids.map((id) => keys.user(id))),
      getManyChunked<string>(kv, ids.map((id) => keys.adminSentBy(id))),
    ]);
    for (let i = 0; i < ids.length; i++) {
      const p = profiles[i].value ?? placeholderProfile(ids[i]);
      const hay = fold(
        opts.exactId ? `${p.login}\n${p.name}` : `${p.user_id}\n${p.login}\n${p.name}`,
      );
      const exact = opts.exactId && p.user_id === opts.q.trim();
      if (needle && !exact && !hay.includes(needle)) continue;
      if (users.length === opts.limit) {
        return { users, next_cursor: ids[i - 1] ?? cursor ?? null, scanned: scanned + i };
      }
      const last = seen[i].value;
      users.push({
        profile: p,
        last_active: last ? new Date(ulidTime(last)).toISOString() : null,
      });
    }
    scanned += ids.length;
    cursor = ids.at(-1)!;
    if (horizon === null) return { users, next_cursor: null, scanned };
  }
  return { users, next_cursor: cursor ?? null, scanned };
}
