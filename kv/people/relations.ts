/**
 * Favourites and blocks, and keeping a user's contact list in step with their dialogs. Relations
 * live in kv/people/contact_index.ts records; this module is the API the routes (and the manage API)
 * call. A block is enforced inside the send's atomic (kv/moderation/send_guard.ts).
 */
import { isAdminNow } from "./roles.ts";
import type { Config } from "../../services/core/config.ts";
import { forbidden } from "../../services/core/errors.ts";
import { SYSTEM_USER, ulidTime } from "../../services/core/ids.ts";
import { getManyChunked } from "../batch.ts";
import { type ContactRecord, eachLimited, searchFields, updateContact } from "./contact_index.ts";
import { keys } from "../keys.ts";
import type { UserProfile } from "../types.ts";
import { getProfiles } from "./users.ts";

export interface ContactFlags {
  favourite: boolean;
  blocked: boolean;
  /** Whether this call changed anything (then a `contact` event was logged: notify the bus). */
  changed: boolean;
}

/** A new record for `peer` in `owner`'s list, named from the cached profile (or the id). */
async function freshRecord(kv: Deno.Kv, owner: string, peer: string): Promise<ContactRecord> {
  const [profile, dialog] = await kv.getMany<[UserProfile, unknown]>([
    keys.user(peer),
    keys.dialog(owner, peer),
  ]);
  return {
    peer,
    dialog: dialog.versionstamp !== null,
    favourite: false,
    blocked: false,
    ...searchFields(profile.value ?? { user_id: peer, name: peer, login: peer }),
    updated_at: new Date().toISOString(),
  };
}

async function setFlag(
  kv: Deno.Kv,
  uid: string,
  peer: string,
  flag: "favourite" | "blocked",
  on: boolean,
): Promise<ContactFlags> {
  const fresh = on ? await freshRecord(kv, uid, peer) : null;
  const res = await updateContact(kv, uid, peer, (before) => {
    if (Boolean(before?.[flag]) === on) return undefined;
    const base = before ?? fresh!;
    return { ...base, [flag]: on, updated_at: new Date().toISOString() };
  }, { notify: true });
  return {
    favourite: Boolean(res.after?.favourite),
    blocked: Boolean(res.after?.blocked),
    changed: res.changed,
  };
}

/**
 * Adds (`on`) or removes `peer` from `uid`'s favourites. Idempotent; a change logs a `contact`
 * event for `uid` in the same atomic (its streams here are woken once it commits).
 */
export function setFavourite(kv: Deno.Kv, uid: string, peer: string, on: boolean) {
  return setFlag(kv, uid, peer, "favourite", on);
}

/**
 * `uid` blocks (`on`) or unblocks `peer`. Idempotent; logs a `contact` event like setFavourite.
 * It does not know the admin list: callers check assertCanBlock(kv, cfg, peer) first.
 */
export function setBlock(kv: Deno.Kv, uid: string, peer: string, on: boolean) {
  return setFlag(kv, uid, peer, "blocked", on);
}

/**
 * Turns on an imported favourite or block of `uid` for `peer` (the original's users_relations),
 * without a `contact` event: nothing changed live. It only ever turns a flag on, so a change the
 * user made in Parley since is not undone by importing again. Returns whether it wrote anything.
 */
export async function importRelation(
  kv: Deno.Kv,
  uid: string,
  peer: string,
  flag: "favourite" | "blocked",
): Promise<boolean> {
  const fresh = await freshRecord(kv, uid, peer);
  const res = await updateContact(kv, uid, peer, (before) => {
    if (before?.[flag]) return undefined;
    return { ...(before ?? fresh), [flag]: true, updated_at: new Date().toISOString() };
  });
  return res.written;
}

/**
 * Admins (PARLEY_ADMIN_IDS or a role set through the manage API, read now) and the site's system
 * sender cannot be blocked (403 cannot_block_admin).
 */
export async function assertCanBlock(kv: Deno.Kv, cfg: Config, peer: string) {
  if (peer === SYSTEM_USER || await isAdminNow(kv, cfg, peer)) {
    throw forbidden("cannot_block_admin", "administrators cannot be blocked");
  }
}

/** Whether `blocker` has blocked `blocked`. */
export async function isBlocked(kv: Deno.Kv, blocker: string, blocked: string): Promise<boolean> {
  return Boolean((await kv.get<ContactRecord>(keys.contact(blocker, blocked))).value?.blocked);
}

/** `uid`'s favourite/blocked flags for each of `peers` (false when there is no record). */
export async function relationsOf(
  kv: Deno.Kv,
  uid: string,
  peers: string[],
): Promise<Map<string, { favourite: boolean; blocked: boolean }>> {
  const entries = await getManyChunked<ContactRecord>(kv, peers.map((p) => keys.contact(uid, p)));
  return new Map(peers.map((p, i) => [p, {
    favourite: Boolean(entries[i].value?.favourite),
    blocked: Boolean(entries[i].value?.blocked),
  }]));
}

/** Dialog activity this close to the sync mark is looked at again (commits land out of id order). */
const SYNC_MARGIN_MS = 60_000;
/** Most dialogs folded in per call; a huge first sync finishes over a few calls. */
const SYNC_BATCH = 5000;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The 10-character time prefix of a ULID made at `ms` (sorts before every id of that ms). */
function ulidPrefix(ms: number): string {
  let out = "";
  for (let i = 0, t = Math.max(0, ms); i < 10; i++, t = Math.floor(t / 32)) {
    out = CROCKFORD[t % 32] + out;
  }
  return out;
}

/**
 * Folds dialogs with activity since the last sync into `uid`'s contacts ("all" = dialogs plus
 * favourites). Works from the dialog activity index, so every dialog counts whoever created it
 * (user sends, system messages, imports), and dialogs from before this feature are picked up on
 * the first call. Names come from the profiles (one host call per 100 new contacts).
 */
export async function syncContacts(kv: Deno.Kv, cfg: Config, uid: string): Promise<number> {
  const markEntry = await kv.get<string>(keys.contactSync(uid));
  const mark = markEntry.value;
  const from = mark ? ulidPrefix(ulidTime(mark) - SYNC_MARGIN_MS) : "";
  const seen: { id: string; peer: string }[] = [];
  const iter = kv.list<string>(
    { prefix: keys.dialogsByTime(uid), start: keys.dialogByTime(uid, from, "") },
    { limit: SYNC_BATCH, batchSize: 500 },
  );
  for await (const e of iter) seen.push({ id: e.key[3] as string, peer: e.value });
  if (seen.length === 0) return 0;
  const peers = [...new Set(seen.map((s) => s.peer))];
  const records = await getManyChunked<ContactRecord>(kv, peers.map((p) => keys.contact(uid, p)));
  const missing = peers.filter((_, i) => !records[i].value?.dialog);
  if (missing.length) {
    const profiles = await getProfiles(kv, cfg, missing);
    await eachLimited(missing, 8, (peer) =>
      updateContact(kv, uid, peer, (before) => {
        if (before?.dialog) return undefined;
        const fields = searchFields(profiles.get(peer)!);
        const base = before ??
          { peer, dialog: true, favourite: false, blocked: false, ...fields, updated_at: "" };
        return { ...base, dialog: true, updated_at: new Date().toISOString() };
      }));
  }
  const newest = seen.at(-1)!.id;
  if (!mark || newest > mark) {
    // Only ever moves forward; losing this race to a concurrent sync is fine.
    await kv.atomic().check(markEntry).set(keys.contactSync(uid), newest).commit();
  }
  return missing.length;
}

/**
 * Removes everything this module and presence keep about `uid` (for the manage API's "delete
 * user"): their own contact list, their entry in everyone else's, sync mark and presence.
 * Others' lists change silently (no event): the user is gone.
 */
export async function forgetContacts(kv: Deno.Kv, uid: string): Promise<void> {
  const owners: string[] = [];
  for await (const e of kv.list({ prefix: keys.contactOwners(uid) }, { batchSize: 500 })) {
    owners.push(e.key[2] as string);
  }
  await eachLimited(
    owners,
    8,
    (owner) => updateContact(kv, owner, uid, () => null, { erasing: true }),
  );
  const own: Deno.KvKey[] = [keys.contactSync(uid), keys.presence(uid)];
  for (const prefix of [keys.contacts(uid), keys.contactTabs(uid)]) {
    for await (const e of kv.list({ prefix }, { batchSize: 500 })) {
      own.push(e.key);
      if (e.key[0] === "contact") own.push(keys.contactOf(e.key[2] as string, uid));
    }
  }
  for (let i = 0; i < own.length; i += 500) {
    const op = kv.atomic();
    for (const k of own.slice(i, i + 500)) op.delete(k);
    await op.commit();
  }
}
