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

/**
 * A user's dialogs: every dialog with unread messages first (newest first), then the rest by last
 * activity. `cursor` continues the activity index after a previous page.
 */
export async function listDialogs(
  kv: Deno.Kv,
  uid: string,
  opts: { limit: number; cursor?: string },
): Promise<{ dialogs: DialogListItem[]; next_cursor: string | null }> {
  const unreadPeers = new Set<string>();
  for await (const e of kv.list<number>({ prefix: keys.unreads(uid) })) {
    unreadPeers.add(e.key[2] as string);
  }
  const sides: DialogSide[] = [];
  if (!opts.cursor) {
    const entries = await getManyChunked<DialogSide>(
      kv,
      [...unreadPeers].map((p) => keys.dialog(uid, p)),
    );
    for (const e of entries) if (e.value) sides.push(e.value);
    sides.sort((a, b) => (b.last_id ?? "").localeCompare(a.last_id ?? ""));
  }
  const want = Math.max(0, opts.limit - sides.length);
  const peers: string[] = [];
  let nextCursor: string | null = null;
  if (want > 0) {
    const [lastId, peer] = opts.cursor ? opts.cursor.split(".") : [];
    const iter = kv.list<string>(
      opts.cursor
        ? { prefix: keys.dialogsByTime(uid), end: keys.dialogByTime(uid, lastId, peer ?? "") }
        : { prefix: keys.dialogsByTime(uid) },
      { reverse: true },
    );
    let lastKey: Deno.KvKey | null = null;
    for await (const e of iter) {
      if (unreadPeers.has(e.value)) continue;
      if (peers.length === want) {
        nextCursor = `${String(lastKey![2])}.${String(lastKey![3])}`;
        break;
      }
      peers.push(e.value);
      lastKey = e.key;
    }
  }
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
