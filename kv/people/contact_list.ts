/**
 * One page of a user's contacts in a tab, optionally filtered by a search query. The tab index is
 * sorted by folded name, and each entry carries the folded name and login, so matching scans small
 * index values and reads nothing else; only the page's hits are then filled in (profile, dialog,
 * presence). A scan stops after SCAN_BUDGET entries: a rare query over a huge list may then return
 * a short (even empty) page with a next_cursor — keep paging while next_cursor is not null.
 */
import type { Config } from "../../services/core/config.ts";
import { badRequest } from "../../services/core/errors.ts";
import { fold } from "../../services/core/fold.ts";
import { isUserId } from "../../services/core/ids.ts";
import { getManyChunked } from "../batch.ts";
import {
  type ContactIndexEntry,
  type ContactRecord,
  type ContactTab,
  eachLimited,
  searchFields,
  updateContact,
} from "./contact_index.ts";
import { type DialogSide, readAtFor } from "../messaging/dialogs.ts";
import { keys } from "../keys.ts";
import { visiblePresence } from "./visible_presence.ts";
import type { MessagePreview } from "../types.ts";
import { getProfiles, publicProfile } from "./users.ts";

/** Index entries one request may look at. */
export const SCAN_BUDGET = 5000;

interface Position {
  sort: string;
  peer: string;
}

function encodeCursor(p: Position): string {
  const bytes = new TextEncoder().encode(JSON.stringify([p.sort, p.peer]));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** A cursor this API returned, or 400 invalid_cursor. */
export function decodeCursor(raw: string): Position {
  try {
    const bin = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
    const parsed = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))),
    );
    if (
      Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string" &&
      parsed[0].length <= 200 && typeof parsed[1] === "string" && isUserId(parsed[1])
    ) return { sort: parsed[0], peer: parsed[1] };
  } catch {
    // fall through to the error below
  }
  throw badRequest("invalid_cursor", "cursor is not one this API returned", "cursor");
}

export interface ContactItem {
  user: ReturnType<typeof publicProfile>;
  favourite: boolean;
  blocked: boolean;
  online: boolean;
  last_seen: string | null;
  unread: number;
  last_message: MessagePreview | null;
}

/** The positions of one page of matches in `tab`, and where the next page starts. */
async function scan(
  kv: Deno.Kv,
  uid: string,
  tab: ContactTab,
  needle: string,
  limit: number,
  budget: number,
  after?: Position,
): Promise<{ hits: Position[]; next: Position | null }> {
  const prefix = keys.contactTab(uid, tab);
  const iter = kv.list<ContactIndexEntry>(
    after ? { prefix, start: keys.contactIndex(uid, tab, after.sort, after.peer) } : { prefix },
    { batchSize: Math.min(500, needle ? 500 : limit + 2) },
  );
  const hits: Position[] = [];
  let scanned = 0;
  for await (const e of iter) {
    const pos = { sort: e.key[3] as string, peer: e.key[4] as string };
    if (after && pos.sort === after.sort && pos.peer === after.peer) continue;
    const match = !needle || e.value.search.includes(needle);
    if (match && hits.length === limit) return { hits, next: hits.at(-1)! };
    if (match) hits.push(pos);
    if (++scanned >= budget) return { hits, next: pos };
  }
  return { hits, next: null };
}

/**
 * `uid`'s contacts in `tab` ("all": dialogs and favourites), in name order, matching `q` by name
 * or login (case, diacritics and ё/е ignored). Entries whose profile changed since they were
 * filed are re-filed on the way.
 */
export async function listContacts(
  kv: Deno.Kv,
  cfg: Config,
  uid: string,
  opts: { tab: ContactTab; q?: string; limit: number; cursor?: string; budget?: number },
): Promise<{ contacts: ContactItem[]; next_cursor: string | null }> {
  const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
  const needle = fold(opts.q ?? "");
  const budget = opts.budget ?? SCAN_BUDGET;
  const { hits, next } = await scan(kv, uid, opts.tab, needle, opts.limit, budget, after);
  const peers = hits.map((h) => h.peer);
  const [records, sides, peerSides, profiles, presence] = await Promise.all([
    getManyChunked<ContactRecord>(kv, peers.map((p) => keys.contact(uid, p))),
    getManyChunked<DialogSide>(kv, peers.map((p) => keys.dialog(uid, p))),
    getManyChunked<DialogSide>(kv, peers.map((p) => keys.dialog(p, uid))),
    getProfiles(kv, cfg, peers),
    // Contacts are relationships; presence still hides those who blocked the viewer.
    visiblePresence(kv, uid, peers, true),
  ]);
  // Repair entries filed under an old name (placeholders never overwrite a real name).
  const stale = peers.filter((p, i) => {
    const r = records[i].value;
    const prof = profiles.get(p)!;
    const f = searchFields(prof);
    return r && prof.source !== "none" && (r.sort !== f.sort || r.search !== f.search);
  });
  await eachLimited(
    stale,
    8,
    (p) =>
      updateContact(kv, uid, p, (r) => r ? { ...r, ...searchFields(profiles.get(p)!) } : undefined),
  );
  const contacts = peers.map((p, i): ContactItem => {
    const side = sides[i].value;
    let last = side?.last_message ?? null;
    if (last && last.from === uid) {
      last = { ...last, read_at: readAtFor(last, peerSides[i].value) };
    }
    return {
      user: publicProfile(profiles.get(p)!),
      favourite: Boolean(records[i].value?.favourite),
      blocked: Boolean(records[i].value?.blocked),
      ...presence.get(p)!,
      unread: side?.unread ?? 0,
      last_message: last,
    };
  });
  return { contacts, next_cursor: next ? encodeCursor(next) : null };
}
