/**
 * A user's contact list as KV keys: one record per contact (relation flags + folded name) and,
 * per tab, an index sorted by folded name, so a tab pages in name order and a search scans small
 * index values without fetching any profile. Names change when the host cache refreshes or the
 * manage API upserts a profile: kv/people/users.ts then calls reindexPeer(), which re-files the person in
 * every list that holds them (found through the reverse index), and listing repairs any entry
 * whose shown profile no longer matches.
 */
import { fold } from "../../services/core/fold.ts";
import { commitWithRetry } from "../atomic.ts";
import { addEvents, readSeqs, userDeleted } from "../messaging/events.ts";
import { keys } from "../keys.ts";
import type { UserProfile } from "../types.ts";

export type ContactTab = "all" | "favourites" | "blocked";
export const CONTACT_TABS: readonly ContactTab[] = ["all", "favourites", "blocked"];

/** `owner`'s relation to one peer. "All" holds dialogs and favourites; blocked is its own tab. */
export interface ContactRecord {
  peer: string;
  /** The two have a dialog (set by syncContacts from the dialog activity index). */
  dialog: boolean;
  favourite: boolean;
  blocked: boolean;
  /** Folded name: the sort key in the tab indexes. */
  sort: string;
  /** Folded name and login, one per line, matched against the folded query. */
  search: string;
  updated_at: string;
}

/** Value of a tab index entry: enough to match a query without reading the record. */
export interface ContactIndexEntry {
  peer: string;
  search: string;
}

/** The folded sort key and search text of a profile. */
export function searchFields(p: Pick<UserProfile, "user_id" | "name" | "login">) {
  const name = fold(p.name || p.login || p.user_id).slice(0, 100);
  const login = fold(p.login || p.user_id).slice(0, 100);
  return { sort: name, search: `${name}\n${login}` };
}

/** The tabs a contact shows in. */
export function tabsOf(r: ContactRecord | null): ContactTab[] {
  if (!r) return [];
  const tabs: ContactTab[] = [];
  if (r.dialog || r.favourite) tabs.push("all");
  if (r.favourite) tabs.push("favourites");
  if (r.blocked) tabs.push("blocked");
  return tabs;
}

/**
 * Adds to `op` what moves `owner`'s contact `peer` from `before` to `after`: the record, its tab
 * index entries, the reverse index. A contact left in no tab is removed altogether.
 */
export function writeContact(
  op: Deno.AtomicOperation,
  owner: string,
  peer: string,
  before: ContactRecord | null,
  after: ContactRecord | null,
) {
  const live = tabsOf(after).length ? after : null;
  const keep = new Set(
    tabsOf(live).map((t) => JSON.stringify(keys.contactIndex(owner, t, live!.sort, peer))),
  );
  for (const tab of tabsOf(before)) {
    const k = keys.contactIndex(owner, tab, before!.sort, peer);
    if (!keep.has(JSON.stringify(k))) op.delete(k);
  }
  if (live) {
    const entry: ContactIndexEntry = { peer, search: live.search };
    for (const tab of tabsOf(live)) op.set(keys.contactIndex(owner, tab, live.sort, peer), entry);
    op.set(keys.contact(owner, peer), live).set(keys.contactOf(peer, owner), null);
  } else {
    op.delete(keys.contact(owner, peer)).delete(keys.contactOf(peer, owner));
  }
}

export interface ContactChange {
  before: ContactRecord | null;
  after: ContactRecord | null;
  /** Favourite or blocked changed. */
  changed: boolean;
  /** Anything was written. */
  written: boolean;
}

/**
 * Read-check-write of one contact. `change` returns the new record (null removes it) or
 * undefined for "leave as is". With `notify`, a real change also appends a `contact` event
 * `{peer, favourite, blocked}` to the owner's log in the same atomic (their other tabs sync).
 * While either user is being erased it is refused (410), checked in the atomic; the erase itself
 * passes `erasing` to remove its records.
 */
export async function updateContact(
  kv: Deno.Kv,
  owner: string,
  peer: string,
  change: (before: ContactRecord | null) => ContactRecord | null | undefined,
  opts: { notify?: boolean; erasing?: boolean } = {},
): Promise<ContactChange> {
  const out = await commitWithRetry(async () => {
    const [entry, ownerGone, peerGone] = await kv.getMany<[ContactRecord, unknown, unknown]>([
      keys.contact(owner, peer),
      keys.erasing(owner),
      keys.erasing(peer),
    ]);
    if (!opts.erasing) {
      if (ownerGone.value !== null) throw userDeleted(owner, "id");
      if (peerGone.value !== null) throw userDeleted(peer);
    }
    const before = entry.value;
    const next = change(before);
    if (next === undefined || (next === null && before === null)) return null;
    const after = next && tabsOf(next).length ? next : null;
    const op = kv.atomic().check(entry);
    if (!opts.erasing) op.check(ownerGone, peerGone);
    writeContact(op, owner, peer, before, after);
    const flagsChanged = Boolean(before?.favourite) !== Boolean(after?.favourite) ||
      Boolean(before?.blocked) !== Boolean(after?.blocked);
    if (opts.notify && flagsChanged) {
      const seqs = await readSeqs(kv, [owner]);
      const data = { peer, favourite: Boolean(after?.favourite), blocked: Boolean(after?.blocked) };
      addEvents(op, seqs, [{ uid: owner, type: "contact", data }]);
    }
    return { op, result: { before, after, changed: flagsChanged, written: true } };
  });
  if (out) return out;
  const now = (await kv.get<ContactRecord>(keys.contact(owner, peer))).value;
  return { before: now, after: now, changed: false, written: false };
}

/** Runs `fn` over `items`, at most `width` at a time. */
export async function eachLimited<T>(items: T[], width: number, fn: (x: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/**
 * Re-files `profile`'s user under their current name in every contact list that holds them.
 * Costs one small atomic per list whose entry is out of date; returns how many changed.
 */
export async function reindexPeer(kv: Deno.Kv, profile: UserProfile): Promise<number> {
  const peer = profile.user_id;
  const fields = searchFields(profile);
  const owners: string[] = [];
  for await (const e of kv.list({ prefix: keys.contactOwners(peer) }, { batchSize: 500 })) {
    owners.push(e.key[2] as string);
  }
  let changed = 0;
  await eachLimited(owners, 8, async (owner) => {
    const res = await updateContact(kv, owner, peer, (r) => {
      if (!r || (r.sort === fields.sort && r.search === fields.search)) return undefined;
      return { ...r, ...fields, updated_at: new Date().toISOString() };
    });
    if (res.written) changed++;
  });
  return changed;
}
