import type { Config } from "../../services/core/config.ts";
import { fetchUsersInfo, type HostUser } from "../../services/host/callbacks.ts";
import { ApiError } from "../../services/core/errors.ts";
import { log } from "../../services/core/log.ts";
import { commitWithRetry } from "../atomic.ts";
import { getManyChunked } from "../batch.ts";
import { reindexPeer } from "./contact_index.ts";
import { keys } from "../keys.ts";
import type { UserProfile } from "../types.ts";

export function placeholderProfile(id: string): UserProfile {
  return {
    user_id: id,
    name: id,
    login: id,
    avatar_url: null,
    city: "",
    age: null,
    status: "",
    error: "",
    source: "none",
    fetched_at: new Date().toISOString(),
  };
}

function fromHost(u: HostUser, source: "host" | "api"): UserProfile {
  return {
    ...u,
    name: u.name || u.login || u.user_id,
    source,
    fetched_at: new Date().toISOString(),
  };
}

function isFresh(p: UserProfile, cfg: Config): boolean {
  if (p.source === "api") return true;
  return Date.now() - Date.parse(p.fetched_at) < cfg.userCacheSeconds * 1000;
}

/** How long "the host does not know this user" stands before the host is asked again. */
export const UNKNOWN_USER_MS = 30_000;

function unknownMs(cfg: Config): number {
  return Math.min(UNKNOWN_USER_MS, cfg.userCacheSeconds * 1000);
}

/**
 * Asks URL_getUsersInfo about `ids` (in calls of 100), stores what it returns, and marks the ids
 * it left out as unknown for a short while. Throws HostError when the host fails.
 */
async function askHost(
  kv: Deno.Kv,
  cfg: Config,
  ids: string[],
  cached: Map<string, UserProfile | null>,
): Promise<Map<string, UserProfile>> {
  const out = new Map<string, UserProfile>();
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const got = await fetchUsersInfo(cfg, chunk);
    const op = kv.atomic();
    for (const id of chunk) {
      const u = got.get(id);
      if (!u) {
        if (unknownMs(cfg) > 0) {
          op.set(keys.hostUnknown(id), Date.now(), { expireIn: unknownMs(cfg) });
        }
        continue;
      }
      const p = fromHost(u, "host");
      out.set(id, p);
      // Kept a day past freshness so a host outage can fall back to the stale copy.
      op.set(keys.user(id), p, { expireIn: cfg.userCacheSeconds * 1000 + 86_400_000 });
      op.delete(keys.hostUnknown(id));
    }
    await op.commit();
    await refileRenamed(kv, chunk.map((id) => [cached.get(id), out.get(id)]));
  }
  return out;
}

/** The ids among `ids` the host said it does not know, moments ago. */
async function recentlyUnknown(kv: Deno.Kv, cfg: Config, ids: string[]): Promise<Set<string>> {
  if (!ids.length || unknownMs(cfg) === 0) return new Set();
  const marks = await getManyChunked<number>(kv, ids.map((id) => keys.hostUnknown(id)));
  // expireIn is only a lower bound: the time in the value decides.
  return new Set(ids.filter((_, i) => {
    const at = marks[i].value;
    return at !== null && Date.now() - at < unknownMs(cfg);
  }));
}

/** The cached profiles of some users as read from KV, before any host is asked (getProfiles). */
export interface CachedProfiles {
  ids: string[];
  entries: Deno.KvEntryMaybe<UserProfile>[];
}

/**
 * Reads the cached profiles of `ids` (its first part): a caller can read them together with other
 * keys (kv/batch.ts) and hand them to getProfiles later, which asks the host only then, and only
 * for what is missing or stale.
 */
export async function readCachedProfiles(kv: Deno.Kv, ids: string[]): Promise<CachedProfiles> {
  const unique = [...new Set(ids)];
  const entries = await getManyChunked<UserProfile>(kv, unique.map((id) => keys.user(id)));
  return { ids: unique, entries };
}

/**
 * Profiles of the given users: fresh KV cache first, then one URL_getUsersInfo call for the rest
 * (except users the host said moments ago it does not know). If the host fails, stale cache or a
 * placeholder is used (and logged) so messaging keeps working; an id the host answered without
 * gets a placeholder marked `unknown` (nobody may write to it).
 */
export async function getProfiles(
  kv: Deno.Kv,
  cfg: Config,
  ids: string[],
  cachedRead?: CachedProfiles,
): Promise<Map<string, UserProfile>> {
  const unique = [...new Set(ids)];
  const { entries } = cachedRead?.ids.join("\n") === unique.join("\n")
    ? cachedRead
    : await readCachedProfiles(kv, unique);
  const out = new Map<string, UserProfile>();
  const stale: string[] = [];
  // Ids the host answered for without them: it has no such user.
  const denied = new Set<string>();
  const cached = new Map<string, UserProfile | null>();
  unique.forEach((id, i) => {
    const p = entries[i].value;
    cached.set(id, p);
    if (p) out.set(id, p);
    if (!p || !isFresh(p, cfg)) stale.push(id);
  });
  if (stale.length && cfg.usersInfoUrl) {
    const unknown = await recentlyUnknown(kv, cfg, stale);
    for (const id of unknown) denied.add(id);
    const missing = stale.filter((id) => !unknown.has(id));
    try {
      if (missing.length) {
        const got = await askHost(kv, cfg, missing, cached);
        for (const id of missing) {
          const p = got.get(id);
          if (p) out.set(id, p);
          else denied.add(id);
        }
      }
    } catch (e) {
      log.warn("using cached or placeholder profiles", { ids: missing, reason: String(e) });
    }
  }
  for (const id of unique) {
    if (!out.has(id)) {
      out.set(id, { ...placeholderProfile(id), ...denied.has(id) && { unknown: true } });
    }
  }
  return out;
}

/** The users-info answer did not include this user: the original's "no right to use chat". */
export function notAChatUser(): ApiError {
  return new ApiError(
    403,
    "not_a_chat_user",
    "You do not have the right to use chat: the site does not know this user id",
    "user_id",
  );
}

/**
 * The profile of a user signing in through the host's hash callback, which must come from the
 * host's users-info answer for exactly this id (or from the site through the manage API), as the
 * original required: PHP's `(int)` makes "2abc" answer user 2's hash, and only the users-info
 * answer tells the two apart. A user the host left out is refused (403 not_a_chat_user); a host
 * that fails falls back to a copy it gave earlier, else HostError.
 */
export async function confirmedProfile(
  kv: Deno.Kv,
  cfg: Config,
  uid: string,
): Promise<UserProfile> {
  const cached = (await kv.get<UserProfile>(keys.user(uid))).value;
  const known = cached && cached.source !== "none" ? cached : null;
  if (known && isFresh(known, cfg)) return known;
  if (!cfg.usersInfoUrl) {
    if (known) return known;
    throw notAChatUser();
  }
  if ((await recentlyUnknown(kv, cfg, [uid])).has(uid)) throw notAChatUser();
  let got: Map<string, UserProfile>;
  try {
    got = await askHost(kv, cfg, [uid], new Map([[uid, cached]]));
  } catch (e) {
    if (known) return known;
    throw e;
  }
  const p = got.get(uid);
  if (!p) throw notAChatUser();
  return p;
}

export async function getProfile(kv: Deno.Kv, cfg: Config, id: string): Promise<UserProfile> {
  return (await getProfiles(kv, cfg, [id])).get(id)!;
}

/**
 * Re-files users whose name or login changed (or who had no cached profile) in the contact lists
 * that hold them, so searches find the new name.
 */
async function refileRenamed(
  kv: Deno.Kv,
  pairs: [UserProfile | null | undefined, UserProfile | undefined][],
) {
  for (const [before, after] of pairs) {
    if (after && (!before || before.name !== after.name || before.login !== after.login)) {
      // Search freshness must never break profile reads; listing repairs what this misses.
      await reindexPeer(kv, after).catch((e) =>
        log.warn("re-filing a renamed contact failed", { user: after.user_id, reason: String(e) })
      );
    }
  }
}

/** Stores a profile given by the site through the manage API; it does not expire. */
export async function upsertProfile(kv: Deno.Kv, u: HostUser): Promise<UserProfile> {
  const p = fromHost(u, "api");
  const before = (await kv.get<UserProfile>(keys.user(u.user_id))).value;
  await kv.set(keys.user(u.user_id), p);
  await refileRenamed(kv, [[before, p]]);
  return p;
}

/**
 * Stores imported profiles (the original's `users` table) for users Parley has no profile of
 * yet: one that the site pushed or the callback fetched is newer and is kept. Imported profiles
 * are dated as stale, so with a users-info callback the next read refreshes them. Up to ten per
 * call (one check each); returns how many were stored.
 */
export async function importProfiles(kv: Deno.Kv, profiles: UserProfile[]): Promise<number> {
  if (profiles.length > 10) throw new Error("importProfiles takes at most 10 profiles");
  return (await commitWithRetry(async () => {
    const entries = await kv.getMany<UserProfile[]>(profiles.map((p) => keys.user(p.user_id)));
    const op = kv.atomic();
    let stored = 0;
    profiles.forEach((p, i) => {
      if (entries[i].versionstamp) return;
      op.check(entries[i]).set(keys.user(p.user_id), p);
      stored++;
    });
    return stored ? { op, result: stored } : null;
  })) ?? 0;
}

/** The public view of a profile (what other users and the widget may see). */
export function publicProfile(p: UserProfile) {
  return {
    user_id: p.user_id,
    name: p.name,
    login: p.login,
    avatar_url: p.avatar_url,
    ...(p.avatar_path && { avatar_path: p.avatar_path }),
    city: p.city,
    age: p.age,
    status: p.status,
  };
}
