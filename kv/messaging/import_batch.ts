/**
 * The batched writer behind the Star.Comet-Chat import (services/migration/): it stores old
 * messages under the same keys, with the same invariants, as sendMessage, but many at a time,
 * because one atomic per message is too slow for a million rows. It shares sendMessage's pieces
 * (putMessage, advanceSide, indexEntries, indexActivity) instead of copying them.
 *
 * Messages come in pages, in original row order, and are written in three steps, each a set of
 * atomics within KV's limits:
 * 1. at once, every message with its own keys (record, id index, admin entries, image record):
 *    no checks, since every key is derived from the original row and a repeat writes the same;
 * 2. when the window (many pages) is full or the import ends: per dialog, both sides merged with
 *    the window's messages, checked like a send (five dialogs, ten checks per atomic). A window
 *    spans many pages so that a dialog with messages on many pages is merged once, not per page.
 *    Each side remembers the highest original row merged into it (`imported_upto`), so rows read
 *    again after an interruption are not counted twice;
 * 3. then per user the "seen" index and a reset of the contact-list sync mark (the user's next
 *    contact listing folds the imported dialogs in, like any new dialog), and the caller's
 *    checkpoint, in the window's last atomic: a checkpoint is never ahead of the data.
 * Nothing goes to the event logs: old messages are history, not news, so no live stream wakes
 * and no webhook fires; the widget shows them on its next load.
 */
import { getManyChunked } from "../batch.ts";
import { afterCommit } from "../after_commit.ts";
import { commitWithRetry } from "../atomic.ts";
import { noteWritten } from "../local_writes.ts";
import { keys, type Pair, pair } from "../keys.ts";
import type { AttachmentRecord } from "../media/attachments.ts";
import { eachLimited } from "../people/contact_index.ts";
import { indexActivity, indexEntries } from "../moderation/message_index.ts";
import type { Message } from "../types.ts";
import { type DialogSide, freshSide } from "./dialogs.ts";
import { advanceSide, putMessage } from "./messages.ts";

/** One old message, mapped: its record (with `read_at` from the original) and its row id. */
export interface ImportedMessage {
  message: Message;
  source_id: number;
  /** The image's record when the message has an attachment (its parts are written already). */
  attachment?: AttachmentRecord;
}

/** An extra write that goes into the page's last atomic (the importer's checkpoint). */
export type Finish = (op: Deno.AtomicOperation) => void;

/** Mutations and bytes per atomic, kept well under KV's 1,000 and 800 KiB. */
const MAX_MUTATIONS = 900;
const MAX_BYTES = 600 * 1024;
/** A window ends at this many messages or dialogs (memory: the slim copies, ~300 B each). */
const WINDOW_MESSAGES = 50_000;
const WINDOW_DIALOGS = 10_000;
/** Dialogs per side-merge atomic: two checked sides each, ten checks in all. */
const DIALOGS_PER_ATOMIC = 5;
/** Atomics in flight at once (the KV backend overlaps them with our own work). */
const WIDTH = 4;

/** A rough upper bound of a value's stored size (strings may take two bytes a character). */
function sizeOf(v: unknown): number {
  return JSON.stringify(v).length * 2 + 200;
}

/** Step 1: every message's own keys, packed into as few atomics as the limits allow. */
async function writeRecords(kv: Deno.Kv, page: ImportedMessage[]) {
  const batches: ImportedMessage[][] = [];
  let batch: ImportedMessage[] = [];
  let mutations = 0;
  let bytes = 0;
  for (const m of page) {
    const n = m.attachment ? 8 : 5;
    const size = sizeOf(m.message) * 2 + (m.attachment ? sizeOf(m.attachment) : 0);
    if (batch.length && (mutations + n > MAX_MUTATIONS || bytes + size > MAX_BYTES)) {
      batches.push(batch);
      [batch, mutations, bytes] = [[], 0, 0];
    }
    batch.push(m);
    mutations += n;
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  await eachLimited(batches, WIDTH, async (b) => {
    const op = kv.atomic();
    for (const m of b) {
      putMessage(op, m.message);
      indexEntries(op, m.message);
      if (m.attachment) op.set(keys.attachment(m.attachment.id), m.attachment);
    }
    const res = await op.commit();
    if (!res.ok) throw new Error("import: a message atomic was rejected");
  });
}

/** The window's messages of one dialog, oldest row first (slim: preview-length text). */
interface DialogGroup {
  p: Pair;
  msgs: ImportedMessage[];
}

function newestOf(msgs: ImportedMessage[]): Message {
  return msgs.reduce((a, b) => (b.message.id > a.message.id ? b : a)).message;
}

/**
 * `owner`'s side after the imported messages `msgs` of this dialog: the activity index and
 * preview move to the newest (if later than what the side has), unread grows by the peer's
 * messages the original never marked read (unless already past this side's read marker), and the
 * read marker moves to the newest message of the peer that the original marked read.
 */
function mergeSide(
  op: Deno.AtomicOperation,
  owner: string,
  side: DialogSide,
  msgs: ImportedMessage[],
): DialogSide {
  const next = advanceSide(op, owner, side, newestOf(msgs));
  const incoming = msgs.map((m) => m.message).filter((m) => m.from === side.peer);
  const unread = incoming.filter((m) => !m.read_at && (!side.read_up_to || m.id > side.read_up_to));
  next.unread = side.unread + unread.length;
  if (next.unread > 0) op.set(keys.unread(owner, side.peer), next.unread);
  // The marker moves; no read mark is added, since every imported message carries its own read
  // time (readAtFor), and a message the original left unread stays unread in the ticks.
  const read = incoming.filter((m) => m.read_at);
  if (read.length) {
    const last = read.reduce((a, b) => (b.id > a.id ? b : a));
    if (!side.read_up_to || last.id > side.read_up_to) next.read_up_to = last.id;
  }
  const oldest = msgs.reduce((a, b) => (b.message.id < a.message.id ? b : a)).message;
  if (oldest.created_at < next.created_at) next.created_at = oldest.created_at;
  next.imported_upto = Math.max(side.imported_upto ?? 0, ...msgs.map((m) => m.source_id));
  return next;
}

/** Step 2 for up to five dialogs: one checked atomic, retried on a concurrent change. */
async function mergeDialogs(kv: Deno.Kv, groups: DialogGroup[]) {
  await commitWithRetry(async () => {
    const sideKeys = groups.flatMap(({ p }) => [keys.dialog(p[0], p[1]), keys.dialog(p[1], p[0])]);
    const entries = await kv.getMany<DialogSide[]>(sideKeys);
    const op = kv.atomic().check(...entries);
    // Sends' reads of these sides made ahead are stale once this commits (kv/local_writes.ts).
    afterCommit(op, () => noteWritten(kv, groups.flatMap(({ p }) => p)));
    let changed = false;
    groups.forEach(({ p, msgs }, i) => {
      const [lo, hi] = [entries[2 * i], entries[2 * i + 1]];
      const done = Math.max(lo.value?.imported_upto ?? 0, hi.value?.imported_upto ?? 0);
      const fresh = msgs.filter((m) => m.source_id > done);
      if (!fresh.length) return;
      changed = true;
      const first = fresh[0].message.created_at;
      for (const [owner, peer, entry] of [[p[0], p[1], lo], [p[1], p[0], hi]] as const) {
        op.set(
          keys.dialog(owner, peer),
          mergeSide(op, owner, entry.value ?? freshSide(peer, first), fresh),
        );
      }
      indexActivity(op, p, lo.value, hi.value, newestOf(fresh).id);
    });
    return changed ? { op, result: true } : null;
  });
}

/** Step 3: each user's newest message in the seen index, their contact sync mark reset. */
async function touchUsers(
  kv: Deno.Kv,
  newest: Map<string, string>,
  newestSent: Map<string, string>,
  finish: Finish | null,
) {
  const uids = [...newest.keys()];
  const seen = await getManyChunked<string>(kv, uids.map((u) => keys.adminSeenUser(u)));
  const sent = await getManyChunked<string>(kv, uids.map((u) => keys.adminSentBy(u)));
  const ops: Deno.AtomicOperation[] = [kv.atomic()];
  let mutations = 0;
  uids.forEach((uid, i) => {
    if (mutations + 3 > MAX_MUTATIONS) [ops[ops.length], mutations] = [kv.atomic(), 0];
    const op = ops[ops.length - 1];
    const id = newest.get(uid)!;
    if ((seen[i].value ?? "") < id) op.set(keys.adminSeenUser(uid), id);
    const sentId = newestSent.get(uid);
    if (sentId && (sent[i].value ?? "") < sentId) op.set(keys.adminSentBy(uid), sentId);
    op.delete(keys.contactSync(uid));
    mutations += 3;
  });
  finish?.(ops[ops.length - 1]);
  for (const op of ops) {
    if (!(await op.commit()).ok) throw new Error("import: a user index atomic was rejected");
  }
}

/** What step 2 needs of a message: all but the text beyond what a preview shows. */
function slim(m: ImportedMessage): ImportedMessage {
  const text = m.message.text.length > 200 ? m.message.text.slice(0, 200) : m.message.text;
  return { source_id: m.source_id, message: { ...m.message, text } };
}

/**
 * An import of messages into `kv`: `add` each page in original row order with the checkpoint
 * that follows it, then `flush` once at the end.
 */
export class MessageImport {
  #groups = new Map<string, DialogGroup>();
  #newest = new Map<string, string>();
  #newestSent = new Map<string, string>();
  #count = 0;
  #finish: Finish | null = null;

  /** `window`: messages per merge window (smaller only to test interruptions cheaply). */
  constructor(private readonly kv: Deno.Kv, private readonly window = WINDOW_MESSAGES) {}

  /** Writes the page's messages (step 1); merges the window when it is full (steps 2, 3). */
  async add(page: ImportedMessage[], finish: Finish): Promise<void> {
    await writeRecords(this.kv, page);
    for (const m of page) {
      const p = pair(m.message.from, m.message.to);
      const k = p.join("\n");
      let g = this.#groups.get(k);
      if (!g) this.#groups.set(k, g = { p, msgs: [] });
      g.msgs.push(slim(m));
      for (const uid of p) {
        if ((this.#newest.get(uid) ?? "") < m.message.id) this.#newest.set(uid, m.message.id);
      }
      const from = m.message.from;
      if ((this.#newestSent.get(from) ?? "") < m.message.id) {
        this.#newestSent.set(from, m.message.id);
      }
    }
    this.#count += page.length;
    this.#finish = finish;
    if (this.#count >= this.window || this.#groups.size >= WINDOW_DIALOGS) await this.flush();
  }

  /** Merges what the window holds into the dialogs and writes the last checkpoint given. */
  async flush(): Promise<void> {
    const groups = [...this.#groups.values()];
    const chunks: DialogGroup[][] = [];
    for (let i = 0; i < groups.length; i += DIALOGS_PER_ATOMIC) {
      chunks.push(groups.slice(i, i + DIALOGS_PER_ATOMIC));
    }
    await eachLimited(chunks, WIDTH, (c) => mergeDialogs(this.kv, c));
    if (this.#finish || this.#newest.size) {
      await touchUsers(this.kv, this.#newest, this.#newestSent, this.#finish);
    }
    this.#groups.clear();
    this.#newest.clear();
    this.#newestSent.clear();
    this.#count = 0;
    this.#finish = null;
  }
}
