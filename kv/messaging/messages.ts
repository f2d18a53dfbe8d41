import { notFound } from "../../services/core/errors.ts";
import { ulid } from "../../services/core/ids.ts";
import { indexMessage } from "../moderation/message_index.ts";
import { publishAdmin } from "../moderation/admin_feed.ts";
import { commitWithRetry } from "../atomic.ts";
import { commitGrouped } from "../group_commit.ts";
import { addMark, type DialogSide, freshSide, preview, withReadAt } from "./dialogs.ts";
import { addEvents, readSeqs, refuseErasing, seqKeys, seqState } from "./events.ts";
import { keys, pair } from "../keys.ts";
import { markGoneQuotes } from "./replies.ts";
import type { SendGuard } from "../moderation/send_guard.ts";
import type { RateStep, RateWindow } from "../ratelimit.ts";
import { writeMark, writtenSince } from "../local_writes.ts";
import type { Attachment, Message, MessageRef, ReplyRef } from "../types.ts";

export interface SendInput {
  from: string;
  to: string;
  text: string;
  kind?: "user" | "system";
  attachment?: Attachment;
  /** The quoted message (replyRef in kv/messaging/replies.ts: same dialog, checked). */
  reply_to?: ReplyRef;
  /** Extra fields kept on the stored message (e.g. the unmasked original for admins). */
  extra?: Record<string, unknown>;
  /** Adds more mutations to the send's atomic (attachment records, webhook enqueue...). */
  also?: (op: Deno.AtomicOperation, msg: Message) => void;
  /** Ban and block checks read and checked in the send's atomic (userSendGuard). */
  guard?: SendGuard;
  /**
   * The rate limit counted in the send's atomic (rateStep): one mutation, and no check of its own
   * (the sender's event counter covers it, below).
   */
  rate?: RateStep;
  /** What the send builds on, read ahead (readForSend): its first attempt reads nothing. */
  ahead?: Promise<SendRead>;
}

/** What a send builds on, read before its turn to commit (readForSend). */
export interface SendRead {
  /** The send it was read for: another pair's read never serves. */
  from: string;
  to: string;
  /** Where this process's commits stood when the read went out (kv/local_writes.ts). */
  mark: number;
  /** When it went out (performance.now()): an old read is read again (AHEAD_MAX_AGE_MS). */
  at: number;
  /** The rate window read: a window that has turned since is read again. */
  window: Deno.KvKey | null;
  entries: Deno.KvEntryMaybe<unknown>[];
}

/**
 * The keys a send of `from` to `to` reads: both dialog sides, both users' counters, the rate
 * window.
 */
function sendKeys(from: string, to: string, window: RateWindow | undefined): Deno.KvKey[] {
  return [
    keys.dialog(from, to),
    keys.dialog(to, from),
    ...seqKeys(from),
    ...seqKeys(to),
    ...(window ? [window.key] : []),
  ];
}

/**
 * Reads what a send of `from` to `to` builds on (9 keys, one getMany of `reader`: the route
 * folds it into its own reads) while the request is still being checked, so that group commit
 * builds the send without waiting on a read of its own: the builds of one batch otherwise read
 * one after another on the KV's thread, while the batch before is committing. The send's atomic
 * checks every entry read or a key that moves with it (the rate counter with the sender's event
 * counter, erasure and log hosts with both counters); where a write of this process to either
 * user committed since the read went out, the send reads again instead (kv/local_writes.ts), so a
 * stale read never fails the batch it joins. Pass `kv` itself as well: the mark is kept per KV
 * handle.
 */
export async function readForSend(
  kv: Deno.Kv,
  from: string,
  to: string,
  rate: RateStep | undefined,
  reader: Deno.Kv = kv,
): Promise<SendRead> {
  const mark = writeMark(kv);
  const at = performance.now();
  const window = rate?.window();
  const entries = await reader.getMany(sendKeys(from, to, window));
  return { from, to, mark, at, window: window?.key ?? null, entries };
}

/**
 * A read made ahead older than this is read again: another isolate's writes are not marked here
 * (kv/local_writes.ts), and the longer a read waits (a slow host answering for a profile), the
 * likelier one of them failed its checks. Queued sends wait far less, even under saturation.
 */
const AHEAD_MAX_AGE_MS = 1000;

/** Whether `early` still holds for a send of `from` to `to` in the rate window `window`. */
function stillHolds(
  kv: Deno.Kv,
  early: SendRead | undefined,
  from: string,
  to: string,
  window: Deno.KvKey | null,
): early is SendRead {
  return early !== undefined && early.from === from && early.to === to &&
    performance.now() - early.at < AHEAD_MAX_AGE_MS && sameKey(early.window, window) &&
    !writtenSince(kv, [from, to], early.mark);
}

function sameKey(a: Deno.KvKey | null, b: Deno.KvKey | null): boolean {
  return a === b || (a !== null && b !== null && a.length === b.length &&
    a.every((part, i) => part === b[i]));
}

type Hook<T> = (op: Deno.AtomicOperation, value: T) => void;

/** One `also` hook that runs every given hook (features add their writes to one atomic). */
export function allHooks<T>(...hooks: (Hook<T> | null | undefined | false)[]): Hook<T> {
  const live = hooks.filter((h): h is Hook<T> => typeof h === "function");
  return (op, value) => live.forEach((h) => h(op, value));
}

/** Strips server-only fields before a message leaves for a dialog member. */
export function publicMessage(m: Message): Message {
  const { id, from, to, text, created_at, read_at, kind, attachment, edited_at, reply_to } = m;
  return {
    id,
    from,
    to,
    text,
    created_at,
    read_at,
    ...(kind && kind !== "user" ? { kind } : {}),
    ...(attachment ? { attachment } : {}),
    ...(edited_at ? { edited_at } : {}),
    ...(reply_to ? { reply_to } : {}),
  };
}

function later(a: string | null, b: string): boolean {
  return a === null || b > a;
}

/** Adds a message record and its id index to `op` (every write of a new message does this). */
export function putMessage(op: Deno.AtomicOperation, stored: Message): void {
  const p = pair(stored.from, stored.to);
  op.set(keys.message(p, stored.id), stored).set(keys.messageRef(stored.id), {
    lo: p[0],
    hi: p[1],
  });
}

/**
 * `owner`'s side of the dialog with `peer` after `newest` arrives in it: if `newest` is later
 * than the side's last message, the activity index entry moves to it and the preview follows.
 * Adds the index changes to `op`; the caller sets the returned side (after its own changes).
 */
export function advanceSide(
  op: Deno.AtomicOperation,
  owner: string,
  side: DialogSide,
  newest: Message,
): DialogSide {
  const next: DialogSide = { ...side };
  if (later(side.last_id, newest.id)) {
    if (side.last_id) op.delete(keys.dialogByTime(owner, side.last_id, side.peer));
    op.set(keys.dialogByTime(owner, newest.id, side.peer), side.peer);
    next.last_id = newest.id;
    next.last_message = preview(newest);
  }
  return next;
}

/**
 * Stores a message and everything it changes in one atomic: the message, its id index, both
 * dialog sides and their activity index, the recipient's unread counter, and a `message` event in
 * both users' logs. Concurrent sends into one dialog retry on the checks and are all stored once.
 * Refused inside the atomic: a user being erased on either side (410 `user_deleted`, through the
 * event counters' checks), and whatever `input.guard` refuses (ban, blocks). Checks: 2 dialog
 * sides + 2 event counters + the guard's 3 (+ a client id's 1, kv/messaging/send_ids.ts) + the
 * `also` hooks' (a staged upload's 1) <= 10; the rate counter rides on the sender's event
 * counter (below).
 */
export async function sendMessage(kv: Deno.Kv, input: SendInput): Promise<Message> {
  const { from, to } = input;
  const now = new Date();
  const msg: Message = {
    id: ulid(now.getTime()),
    from,
    to,
    text: input.text,
    created_at: now.toISOString(),
    read_at: null,
    ...(input.kind && input.kind !== "user" ? { kind: input.kind } : {}),
    ...(input.attachment ? { attachment: input.attachment } : {}),
    ...(input.reply_to ? { reply_to: input.reply_to } : {}),
  };
  const stored = { ...msg, ...input.extra };
  // The read made ahead serves the first attempt only: a retry follows a failed check.
  let ahead = input.ahead;
  // Sends of other dialogs may share this one's atomic (kv/group_commit.ts): a send touches
  // keys of its two users only (their sides, logs, counters, indexes) and of its own message.
  await commitGrouped(kv, [from, to], async (op) => {
    // The dialog sides, both logs' counters and the rate counter in one read (9 keys of 10),
    // unless the read made ahead still holds.
    const window = input.rate?.window();
    const early = await ahead?.catch(() => undefined);
    ahead = undefined;
    const [read, guarded] = await Promise.all([
      stillHolds(kv, early, from, to, window?.key ?? null)
        ? early.entries
        : kv.getMany(sendKeys(from, to, window)),
      input.guard ? input.guard(kv) : [],
    ]);
    // Only sends of `from` move its message counter, and each also moves from's event counter,
    // which this atomic checks (addEvents): a concurrent send of theirs, here or on another
    // instance, fails that check, so the rate counter needs no check of its own (one fewer per
    // send: fourteen sends share a group atomic instead of twelve).
    const counted = window &&
      input.rate!.decide(window, read[8] as Deno.KvEntryMaybe<number>, true);
    const a = read[0] as Deno.KvEntryMaybe<DialogSide>;
    const b = read[1] as Deno.KvEntryMaybe<DialogSide>;
    const seqs = new Map([
      [from, seqState(kv, from, read.slice(2, 5))],
      [to, seqState(kv, to, read.slice(5, 8))],
    ]);
    refuseErasing(seqs, (uid) => uid === to ? "peer" : "from");
    op.check(a, b, ...guarded);
    counted?.(op);
    putMessage(op, stored);
    const sides: [string, string, Deno.KvEntryMaybe<DialogSide>, boolean][] = [
      [from, to, a, false],
      [to, from, b, true],
    ];
    for (const [owner, peer, entry, incoming] of sides) {
      const next = advanceSide(op, owner, entry.value ?? freshSide(peer, msg.created_at), msg);
      if (incoming) {
        next.unread += 1;
        op.set(keys.unread(owner, peer), next.unread);
      }
      op.set(keys.dialog(owner, peer), next);
    }
    const data = publicMessage(msg);
    const events = [{ uid: to, type: "message", data }, { uid: from, type: "message", data }];
    // Once committed, this process's streams of both users get the events (kv/after_commit.ts).
    addEvents(op, seqs, events);
    indexMessage(kv, op, stored, a.value, b.value);
    input.also?.(op, msg);
    return true;
  });
  // The admin monitor sees the stored record, server-only fields included. Its log is appended
  // in batches behind the send (kv/moderation/admin_feed.ts): the send does not wait for it.
  publishAdmin(kv, [{ type: "message", data: stored }]);
  return msg;
}

/** One page of a dialog's history, oldest to newest, ending before `before` (exclusive). */
export async function listMessages(
  kv: Deno.Kv,
  me: string,
  peer: string,
  opts: { before?: string; limit: number },
): Promise<{ messages: Message[]; next_before: string | null }> {
  const p = pair(me, peer);
  const iter = kv.list<Message>(
    opts.before
      ? { prefix: keys.messages(p), end: keys.message(p, opts.before) }
      : { prefix: keys.messages(p) },
    { reverse: true, limit: opts.limit + 1, batchSize: Math.min(opts.limit + 1, 500) },
  );
  const page: Message[] = [];
  for await (const e of iter) page.push(e.value);
  const more = page.length > opts.limit;
  if (more) page.pop();
  page.reverse();
  const [, peerSide] = await kv.getMany<DialogSide[]>([
    keys.dialog(me, peer),
    keys.dialog(peer, me),
  ]);
  // Read ticks matter only on messages this user sent; the peer's side dates them.
  const shown = await markGoneQuotes(kv, page.map((m) => publicMessage(m)));
  const messages = withReadAt(shown, peer, peerSide.value);
  return { messages, next_before: more ? page[0].id : null };
}

/** Finds a message by id alone; null if it does not exist. */
export async function getMessageById(kv: Deno.Kv, id: string): Promise<Message | null> {
  const ref = (await kv.get<MessageRef>(keys.messageRef(id))).value;
  if (!ref) return null;
  return (await kv.get<Message>(keys.message([ref.lo, ref.hi], id))).value;
}

/** What a read receipt reports (the `read` event's data). */
export interface ReadReceipt {
  reader: string;
  peer: string;
  up_to: string;
  read_at: string;
  unread: number;
}

/**
 * `reader` has read the dialog with `peer` up to message `upTo`: moves the read marker, recounts
 * unread, and sends a `read` event to both (the peer sees two ticks; the reader's other tabs sync).
 * `also(op, receipt)` adds mutations to the atomic when the marker actually moves (webhooks).
 */
export async function markRead(
  kv: Deno.Kv,
  reader: string,
  peer: string,
  upTo: string,
  also?: (op: Deno.AtomicOperation, receipt: ReadReceipt) => void,
) {
  const p = pair(reader, peer);
  const target = (await kv.get<Message>(keys.message(p, upTo))).value;
  if (!target) throw notFound("message", "up_to");
  const readAt = new Date().toISOString();
  const result = await commitWithRetry(async () => {
    const side = await kv.get<DialogSide>(keys.dialog(reader, peer));
    const current = side.value;
    if (!current || (current.read_up_to && current.read_up_to >= upTo)) return null;
    // Unread after the marker: messages from the peer newer than up_to.
    let unread = 0;
    if (current.last_id && current.last_id > upTo) {
      for await (
        const e of kv.list<Message>({
          start: keys.message(p, upTo + "\0"),
          prefix: keys.messages(p),
        })
      ) {
        if (e.value.from === peer) unread++;
      }
    }
    const seqs = await readSeqs(kv, [reader, peer]);
    refuseErasing(seqs);
    const next: DialogSide = {
      ...current,
      read_up_to: upTo,
      unread,
      read_marks: addMark(current.read_marks, { up_to: upTo, at: readAt }),
    };
    const op = kv.atomic().check(side).set(keys.dialog(reader, peer), next);
    if (unread > 0) op.set(keys.unread(reader, peer), unread);
    else op.delete(keys.unread(reader, peer));
    const data: ReadReceipt = { reader, peer, up_to: upTo, read_at: readAt, unread };
    addEvents(op, seqs, [{ uid: peer, type: "read", data }, { uid: reader, type: "read", data }]);
    also?.(op, data);
    return { op, result: data };
  });
  if (result) return result;
  // Already read that far (another tab, a repeated call): report the state as it is.
  const side = (await kv.get<DialogSide>(keys.dialog(reader, peer))).value;
  return {
    reader,
    peer,
    up_to: side?.read_up_to ?? upTo,
    read_at: side?.read_marks.at(-1)?.at ?? readAt,
    unread: side?.unread ?? 0,
  };
}

/** Unread messages of a user: total and per sender. */
export async function unreadSummary(kv: Deno.Kv, uid: string) {
  const byUser: Record<string, number> = {};
  let total = 0;
  for await (const e of kv.list<number>({ prefix: keys.unreads(uid) })) {
    byUser[e.key[3] as string] = e.value;
    total += e.value;
  }
  return { total, by_user: byUser };
}
