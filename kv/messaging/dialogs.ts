import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";
import type { DialogState, Message, MessagePreview } from "../types.ts";

/** How many read marks a dialog side keeps to date its read receipts. */
const READ_MARKS = 20;

export interface ReadMark {
  up_to: string;
  at: string;
}

/** A user's side of a dialog, with the marks that date when they read the peer's messages. */
export interface DialogSide extends DialogState {
  read_marks: ReadMark[];
  /**
   * The highest original row id of a Star.Comet-Chat import merged into this side
   * (kv/messaging/import_batch.ts); a repeated or resumed import skips what is at or below it.
   */
  imported_upto?: number;
}

export function freshSide(peer: string, now: string): DialogSide {
  return {
    peer,
    last_message: null,
    last_id: null,
    unread: 0,
    read_up_to: null,
    created_at: now,
    read_marks: [],
  };
}

export function preview(m: Message): MessagePreview {
  return {
    id: m.id,
    from: m.from,
    text: m.text.slice(0, 200),
    created_at: m.created_at,
    // Null for a new message; an imported one keeps the original's read time.
    read_at: m.read_at ?? null,
    has_attachment: Boolean(m.attachment),
  };
}

/** Appends a read mark, keeping the newest READ_MARKS. */
export function addMark(marks: ReadMark[], mark: ReadMark): ReadMark[] {
  return [...marks, mark].slice(-READ_MARKS);
}

/**
 * When a message was read: the time it carries (an imported message keeps the original's read
 * time), else from the reader's marks: the first mark at or past it. Messages older than every
 * kept mark get the oldest mark's time (they were read no later than that).
 */
export function readAtFor(
  m: { id: string; read_at: string | null },
  readerSide: DialogSide | null,
): string | null {
  if (m.read_at) return m.read_at;
  if (!readerSide?.read_up_to || m.id > readerSide.read_up_to) return null;
  const mark = readerSide.read_marks.find((k) => k.up_to >= m.id) ?? readerSide.read_marks[0];
  return mark?.at ?? null;
}

/** Fills `read_at` of messages sent to `reader` (whose side of the dialog is `readerSide`). */
export function withReadAt<T extends { id: string; from: string; read_at: string | null }>(
  msgs: T[],
  reader: string,
  readerSide: DialogSide | null,
): T[] {
  return msgs.map((m) => (m.from === reader ? m : { ...m, read_at: readAtFor(m, readerSide) }));
}

export interface DialogListItem {
  peer: string;
  last_message: MessagePreview | null;
  unread: number;
  created_at: string;
}

/** Where a dialog list page starts: which part (unread, then read) and after which entry. */
interface ListPosition {
  part: "unread" | "read";
  after?: { lastId: string; peer: string };
}

/** The activity-index entry of `key` as a cursor position. */
const positionOf = (key: Deno.KvKey) => ({ lastId: String(key[3]), peer: String(key[4]) });

/**
 * Parses a dialog list cursor: `u.<last id>.<peer>` (within the unread part), `r.<last id>.<peer>`
 * or `r` (within the read part); `<last id>.<peer>` is the read part's older form.
 */
export function parseDialogCursor(raw: string): ListPosition | null {
  if (raw === "r") return { part: "read" };
  const m = /^(?:([ur])\.)?([0-9A-Z]{26})\.([A-Za-z0-9_-]{1,64})$/.exec(raw);
  if (!m) return null;
  return { part: m[1] === "u" ? "unread" : "read", after: { lastId: m[2], peer: m[3] } };
}

function cursorOf(part: ListPosition["part"], key: Deno.KvKey): string {
  const p = positionOf(key);
  return `${part === "unread" ? "u" : "r"}.${p.lastId}.${p.peer}`;
}

/**
 * Up to `n` peers of `uid`'s activity index (newest first) after `after` that `keep` accepts,
 * with the last one's key; `more` says whether another one follows.
 */
async function walkActivity(
  kv: Deno.Kv,
  uid: string,
  after: ListPosition["after"],
  keep: (peer: string) => boolean,
  n: number,
): Promise<{ peers: string[]; lastKey: Deno.KvKey | null; more: boolean }> {
  const peers: string[] = [];
  let lastKey: Deno.KvKey | null = null;
  const iter = kv.list<string>(
    after
      ? { prefix: keys.dialogsByTime(uid), end: keys.dialogByTime(uid, after.lastId, after.peer) }
      : { prefix: keys.dialogsByTime(uid) },
    { reverse: true, batchSize: Math.min(500, Math.max(10, n + 1)) },
  );
  for await (const e of iter) {
    if (!keep(e.value)) continue;
    if (peers.length === n) return { peers, lastKey, more: true };
    peers.push(e.value);
    lastKey = e.key;
  }
  return { peers, lastKey, more: false };
}

/**
 * A user's dialogs: every dialog with unread messages first (newest first), then the rest by last
 * activity, `limit` per page whatever the mix. `cursor` (from `next_cursor`) continues a page.
 */
export async function listDialogs(
  kv: Deno.Kv,
  uid: string,
  opts: { limit: number; cursor?: string },
): Promise<{ dialogs: DialogListItem[]; next_cursor: string | null }> {
  const unreadPeers = new Set<string>();
  for await (const e of kv.list<number>({ prefix: keys.unreads(uid) })) {
    unreadPeers.add(e.key[3] as string);
  }
  const at: ListPosition = (opts.cursor && parseDialogCursor(opts.cursor)) || { part: "unread" };
  const peers: string[] = [];
  let nextCursor: string | null = null;
  if (at.part === "unread" && unreadPeers.size) {
    const u = await walkActivity(kv, uid, at.after, (p) => unreadPeers.has(p), opts.limit);
    peers.push(...u.peers);
    if (u.more) nextCursor = cursorOf("unread", u.lastKey!);
  }
  const want = opts.limit - peers.length;
  if (!nextCursor) {
    const after = at.part === "read" ? at.after : undefined;
    const r = await walkActivity(kv, uid, after, (p) => !unreadPeers.has(p), want);
    peers.push(...r.peers);
    if (r.more) nextCursor = r.lastKey ? cursorOf("read", r.lastKey) : "r";
  }
  const sides: DialogSide[] = [];
  const entries = await getManyChunked<DialogSide>(kv, peers.map((p) => keys.dialog(uid, p)));
  for (const e of entries) if (e.value) sides.push(e.value);
  // The peers' sides date the read ticks of this user's own last messages.
  const peerSides = await getManyChunked<DialogSide>(
    kv,
    sides.map((s) => keys.dialog(s.peer, uid)),
  );
  const dialogs = sides.map((s, i) => ({
    peer: s.peer,
    last_message: s.last_message && s.last_message.from === uid
      ? { ...s.last_message, read_at: readAtFor(s.last_message, peerSides[i].value) }
      : s.last_message,
    unread: s.unread,
    created_at: s.created_at,
  }));
  return { dialogs, next_cursor: nextCursor };
}
