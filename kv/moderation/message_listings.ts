/**
 * Message listings for admins, newest first, each one prefix scan: the global feed, one user's
 * messages (sent and received), the dialog of two users, attachments only. A date range is an id
 * range (ids are ULIDs, so they sort by time); the cursor is the last id of the previous page.
 */
import { idRange } from "./scan_page.ts";
import type { IndexRef } from "./message_index.ts";
import { getManyChunked } from "../batch.ts";
import { type DialogSide, readAtFor } from "../messaging/dialogs.ts";
import { keys, pair } from "../keys.ts";
import type { Message, MessageRef } from "../types.ts";

/** A message as admins see it: the stored record, server-only fields (original_text…) included. */
export type AdminMessage = Message & Record<string, unknown>;

export interface AdminMessageQuery {
  /** One user's messages (sent and received); with `peer`, the dialog of the two. */
  user?: string;
  peer?: string;
  /** Only messages with an attachment. */
  attachments?: boolean;
  /** Made at or after this time (ms). */
  from?: number;
  /** Made before this time (ms). */
  to?: number;
  cursor?: string;
  limit: number;
}

/** How many index entries one request may skip while filtering (attachments of one user). */
const SCAN_BUDGET = 2000;

/** Fills read_at from each recipient's read marks (one read per distinct dialog side). */
export async function withReadTimes(kv: Deno.Kv, msgs: AdminMessage[]): Promise<AdminMessage[]> {
  const sideKeys = [...new Set(msgs.map((m) => `${m.to}\n${m.from}`))];
  const sides = await getManyChunked<DialogSide>(
    kv,
    sideKeys.map((k) => keys.dialog(...(k.split("\n") as [string, string]))),
  );
  const byKey = new Map(sideKeys.map((k, i) => [k, sides[i].value]));
  return msgs.map((m) => ({ ...m, read_at: readAtFor(m, byKey.get(`${m.to}\n${m.from}`)!) }));
}

/** Loads message records for index entries, skipping any deleted meanwhile. */
export async function resolve(kv: Deno.Kv, refs: { id: string; ref: MessageRef }[]) {
  const entries = await getManyChunked<AdminMessage>(
    kv,
    refs.map((r) => keys.message([r.ref.lo, r.ref.hi], r.id)),
  );
  return entries.flatMap((e) => (e.value ? [e.value] : []));
}

/**
 * Which index a query reads and the id range of it (a date range and the cursor are id bounds);
 * null when the range is empty.
 */
export function listingRange(
  q: Omit<AdminMessageQuery, "limit">,
): { isPair: boolean; selector: Deno.KvListSelector } | null {
  const isPair = Boolean(q.user && q.peer);
  const prefix: Deno.KvKey = isPair
    ? keys.messages(pair(q.user!, q.peer!))
    : q.user
    ? keys.adminUserMessages(q.user)
    : q.attachments
    ? keys.adminAttachments()
    : keys.adminFeedAll();
  const selector = idRange(prefix, q);
  if (!selector) return null;
  return { isPair, selector };
}

/** One page of an admin message listing, newest first. */
export async function listAdminMessages(
  kv: Deno.Kv,
  q: AdminMessageQuery,
): Promise<{ messages: AdminMessage[]; next_cursor: string | null }> {
  const range = listingRange(q);
  if (!range) return { messages: [], next_cursor: null };
  const { isPair, selector } = range;
  // The attachments index already is the filter; elsewhere, attachments=1 filters while scanning.
  const filter = Boolean(q.attachments && q.user !== undefined);
  const iter = kv.list<IndexRef | AdminMessage>(selector, {
    reverse: true,
    limit: filter ? SCAN_BUDGET : q.limit + 1,
    batchSize: filter ? 500 : Math.min(q.limit + 1, 500),
  });
  const hits: { id: string; value: IndexRef | AdminMessage }[] = [];
  let lastScanned: string | null = null;
  let scanned = 0;
  let more = false;
  for await (const e of iter) {
    const id = e.key.at(-1) as string;
    scanned++;
    const hasAtt = isPair ? Boolean((e.value as AdminMessage).attachment) : Boolean(
      (e.value as IndexRef).att,
    );
    if (filter && !hasAtt) {
      lastScanned = id;
      continue;
    }
    if (hits.length === q.limit) {
      more = true;
      break;
    }
    hits.push({ id, value: e.value });
    lastScanned = id;
  }
  // A filter that used up its budget without filling the page continues from where it stopped.
  if (!more && filter && scanned === SCAN_BUDGET) more = true;
  const messages = isPair
    ? hits.map((h) => h.value as AdminMessage)
    : await resolve(kv, hits.map((h) => ({ id: h.id, ref: h.value as IndexRef })));
  return {
    messages: await withReadTimes(kv, messages),
    next_cursor: more ? lastScanned : null,
  };
}

/**
 * A message with the dialog around it: up to `around` messages before and after, oldest first
 * (the complaints queue shows the reported message in its context). Null if it is gone.
 */
export async function messageContext(
  kv: Deno.Kv,
  id: string,
  around = 5,
): Promise<{ message: AdminMessage; context: AdminMessage[] } | null> {
  const ref = (await kv.get<MessageRef>(keys.messageRef(id))).value;
  if (!ref) return null;
  const p = [ref.lo, ref.hi] as const;
  const message = (await kv.get<AdminMessage>(keys.message(p, id))).value;
  if (!message) return null;
  const before: AdminMessage[] = [];
  const after: AdminMessage[] = [];
  const older = kv.list<AdminMessage>(
    { prefix: keys.messages(p), end: keys.message(p, id) },
    { reverse: true, limit: around },
  );
  for await (const e of older) before.unshift(e.value);
  const newer = kv.list<AdminMessage>(
    { prefix: keys.messages(p), start: keys.message(p, id + "\0") },
    { limit: around },
  );
  for await (const e of newer) after.push(e.value);
  const context = await withReadTimes(kv, [...before, message, ...after]);
  return { message: context[before.length], context };
}
