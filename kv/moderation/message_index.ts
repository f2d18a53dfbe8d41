/**
 * The admin indexes, written inside the atomic that stores or deletes a message so they can never
 * drift from the messages: global feed, per-user (sent and received), attachments, seen users, and
 * the per-dialog activity index with its hourly counters (for the monitor's dialog counts).
 */
import { ulidTime } from "../../services/core/ids.ts";
import { afterCommit } from "../after_commit.ts";
import type { DialogSide } from "../messaging/dialogs.ts";
import { keys, type Pair, pair } from "../keys.ts";
import type { Message } from "../types.ts";

/** What an admin index entry holds: where the message lives, and whether it has an attachment. */
export interface IndexRef {
  lo: string;
  hi: string;
  att?: true;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * Per KV handle: the senders whose "last active" (keys.adminSentBy) this process committed in the
 * current minute (a new minute starts an empty set). The admin page shows last activity to the
 * minute, so a sender's further messages in the same minute need not rewrite it: one scattered
 * write fewer for nearly every message of an active chat.
 */
const sentMinutes = new WeakMap<Deno.Kv, { minute: number; senders: Set<string> }>();

function sentThisMinute(kv: Deno.Kv, uid: string, minute: number): boolean {
  const memo = sentMinutes.get(kv);
  return memo?.minute === minute && memo.senders.has(uid);
}

function rememberSent(kv: Deno.Kv, uid: string, minute: number) {
  let memo = sentMinutes.get(kv);
  if (!memo || memo.minute < minute) sentMinutes.set(kv, memo = { minute, senders: new Set() });
  if (memo.minute === minute) memo.senders.add(uid);
}

/** The hour (ms / 3,600,000, floored) a message id was made in. */
export function hourOf(id: string): number {
  return Math.floor(ulidTime(id) / HOUR_MS);
}

function newer(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a > b ? a : b;
}

/**
 * Adds the index entries of a new message to the send's atomic. `fromSide`/`toSide` are the
 * dialog sides as read (and checked) by the send; their last id is the dialog's previous activity.
 * The seen-users entry is written with a side's first message only: a side with a last message
 * was written together with it (every message write indexes both users, imports too), and an
 * erase deletes the entry with the user's sides. "Last active" is rewritten once per minute and
 * sender by this process (sentMinutes): after an erase and a new message within the same minute
 * it may stay empty until the sender's next minute.
 */
export function indexMessage(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  msg: Message,
  fromSide: DialogSide | null,
  toSide: DialogSide | null,
): void {
  indexEntries(op, msg);
  if (!fromSide?.last_id) op.set(keys.adminSeenUser(msg.from), msg.id);
  if (!toSide?.last_id) op.set(keys.adminSeenUser(msg.to), msg.id);
  const minute = Math.floor(ulidTime(msg.id) / MINUTE_MS);
  if (!sentThisMinute(kv, msg.from, minute)) {
    op.set(keys.adminSentBy(msg.from), msg.id);
    afterCommit(op, () => rememberSent(kv, msg.from, minute));
  }
  indexActivity(op, pair(msg.from, msg.to), fromSide, toSide, msg.id);
}

/** The entries one message has of its own: global feed, both users' lists, the gallery. */
export function indexEntries(op: Deno.AtomicOperation, msg: Message): void {
  const p = pair(msg.from, msg.to);
  const ref: IndexRef = { lo: p[0], hi: p[1], ...(msg.attachment ? { att: true as const } : {}) };
  op.set(keys.adminFeed(msg.id), ref)
    .set(keys.adminUserMessage(msg.from, msg.id), ref)
    .set(keys.adminUserMessage(msg.to, msg.id), ref);
  if (msg.attachment) op.set(keys.adminAttachment(msg.id), ref);
}

/**
 * The dialog's activity entry after `newestId` arrives in it; the sides as read before give its
 * previous activity. A clock-skewed older id (another instance, an imported old message) does not
 * move the dialog's activity backwards.
 */
export function indexActivity(
  op: Deno.AtomicOperation,
  p: Pair,
  fromSide: DialogSide | null,
  toSide: DialogSide | null,
  newestId: string,
): void {
  const previous = newer(fromSide?.last_id, toSide?.last_id);
  if (!previous || previous < newestId) movePairActivity(op, p, previous, newestId);
}

/**
 * Moves a dialog's entry in the activity index from its old last message to its new one (either
 * may be null: a first message, or a deleted only message) and keeps the hourly counters exact.
 */
export function movePairActivity(
  op: Deno.AtomicOperation,
  p: Pair,
  fromId: string | null,
  toId: string | null,
): void {
  if (fromId === toId) return;
  const sameHour = fromId !== null && toId !== null && hourOf(fromId) === hourOf(toId);
  if (fromId) {
    op.delete(keys.pairActivity(fromId, p));
    if (!sameHour) op.sum(keys.activityBucket(hourOf(fromId), "out"), 1n);
  }
  if (toId) {
    op.set(keys.pairActivity(toId, p), null);
    if (!sameHour) op.sum(keys.activityBucket(hourOf(toId), "in"), 1n);
  }
}
