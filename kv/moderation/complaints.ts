/**
 * Complaints ("reports") a user files about another user or one of their messages. Each keeps a
 * snapshot of the reported message and the dialog around it as it was at report time, so the
 * admin sees the context even if messages are later deleted. Listing is by prefix scan:
 * all complaints under `complaint`, each status under `complaint_status/<status>`, newest first
 * when listed in reverse (ids are ULIDs).
 */
import { ApiError, notFound } from "../../services/core/errors.ts";
import { ulid } from "../../services/core/ids.ts";
import { publishAdmin } from "./admin_feed.ts";
import { commitWithRetry } from "../atomic.ts";
import { queryComplaints } from "./complaint_query.ts";
import { keys, type Pair, pair } from "../keys.ts";
import type { Message } from "../types.ts";

export const COMPLAINT_REASONS = ["spam", "abuse", "scam", "other"] as const;
export type ComplaintReason = typeof COMPLAINT_REASONS[number];
export type ComplaintStatus = "open" | "resolved" | "dismissed";
export const MAX_COMPLAINT_TEXT = 1000;
/** Messages kept on each side of the reported one (or the last ones, without a message). */
const CONTEXT_EACH_SIDE = 3;
/** Context messages keep this many characters of each text field, so a record stays < 64 KiB. */
const CONTEXT_CLIP = 500;

export interface Complaint {
  id: string;
  reporter: string;
  target: string;
  message_id: string | null;
  reason: ComplaintReason;
  text: string;
  status: ComplaintStatus;
  created_at: string;
  /** As stored (server-only fields included, for the admin); context texts are clipped. */
  snapshot: { message: Message | null; context: Message[] };
  resolution: { note: string; by: string; at: string } | null;
  /** Who handles it while open (claimed, or assigned by a colleague); older records lack it. */
  assignee?: Assignee | null;
}

export interface Assignee {
  user_id: string;
  by: string;
  at: string;
}

export interface NewComplaint {
  reporter: string;
  target: string;
  message_id: string | null;
  reason: ComplaintReason;
  text: string;
}

function clip(m: Message): Message {
  const out: Record<string, unknown> = { ...m };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === "string" && v.length > CONTEXT_CLIP) {
      out[k] = [...v].slice(0, CONTEXT_CLIP).join("");
    }
  }
  return out as unknown as Message;
}

async function listRange(kv: Deno.Kv, sel: Deno.KvListSelector, reverse: boolean) {
  const out: Message[] = [];
  for await (const e of kv.list<Message>(sel, { limit: CONTEXT_EACH_SIDE, reverse })) {
    out.push(e.value);
  }
  return reverse ? out.reverse() : out;
}

/**
 * The reported message and its neighbours, oldest first; 404 if it is not in this dialog.
 * Without a message, the dialog's last messages (before id `until`, if given).
 */
async function snapshotOf(kv: Deno.Kv, p: Pair, messageId: string | null, until?: string) {
  const prefix = keys.messages(p);
  if (!messageId) {
    const sel = until ? { prefix, end: keys.message(p, until) } : { prefix };
    const context = await listRange(kv, sel, true);
    return { message: null, context: context.map(clip) };
  }
  const message = (await kv.get<Message>(keys.message(p, messageId))).value;
  if (!message) throw notFound("message in your dialog with this user", "message_id");
  const [before, after] = await Promise.all([
    listRange(kv, { prefix, end: keys.message(p, messageId) }, true),
    listRange(kv, { prefix, start: keys.message(p, messageId + "\0") }, false),
  ]);
  return { message, context: [...before, ...after].map(clip) };
}

/** Adds an open complaint's keys to `op`, checking that no open one about the same exists. */
function storeComplaint(op: Deno.AtomicOperation, complaint: Complaint): Deno.AtomicOperation {
  const openKey = keys.openComplaint(complaint.reporter, complaint.target, complaint.message_id);
  return op.check({ key: openKey, versionstamp: null })
    .set(openKey, complaint.id)
    .set(keys.complaint(complaint.id), complaint)
    .set(keys.complaintByStatus(complaint.status, complaint.id), null);
}

/**
 * Stores a complaint imported from the original (which kept who, about whom and when, no reason
 * or message): open, with the dialog's last messages before it as context, under an id made
 * from the original row. No live event. "exists" when a repeat finds it stored already;
 * "duplicate" when the reporter already has an open complaint about the same user.
 */
export async function importComplaint(
  kv: Deno.Kv,
  input: { id: string; reporter: string; target: string; created_at: string },
): Promise<"stored" | "exists" | "duplicate"> {
  const existing = await kv.get(keys.complaint(input.id));
  if (existing.versionstamp) return "exists";
  const snapshot = await snapshotOf(kv, pair(input.reporter, input.target), null, input.id);
  const complaint: Complaint = {
    ...input,
    message_id: null,
    reason: "abuse",
    text: "",
    status: "open",
    snapshot,
    resolution: null,
  };
  const op = storeComplaint(kv.atomic().check(existing), complaint);
  if ((await op.commit()).ok) return "stored";
  return (await kv.get(keys.complaint(input.id))).versionstamp ? "exists" : "duplicate";
}

/**
 * Files a complaint. The reported message must be in the reporter's dialog with the target and
 * come from the target. One open complaint per reporter + target + message: 409 complaint_exists.
 */
export async function createComplaint(
  kv: Deno.Kv,
  input: NewComplaint,
  also?: (op: Deno.AtomicOperation, complaint: Complaint) => void,
): Promise<Complaint> {
  const snapshot = await snapshotOf(kv, pair(input.reporter, input.target), input.message_id);
  if (snapshot.message && snapshot.message.from !== input.target) {
    throw new ApiError(
      400,
      "invalid_message_id",
      "you can report only messages the other user sent",
      "message_id",
    );
  }
  const now = Date.now();
  const complaint: Complaint = {
    id: ulid(now),
    ...input,
    status: "open",
    created_at: new Date(now).toISOString(),
    snapshot,
    resolution: null,
  };
  const op = storeComplaint(kv.atomic(), complaint);
  also?.(op, complaint);
  if (!(await op.commit()).ok) {
    throw new ApiError(
      409,
      "complaint_exists",
      "you already have an open complaint about this",
    );
  }
  // Admins see new complaints arrive live in the queue.
  await publishAdmin(kv, [{ type: "complaint", data: adminComplaint(complaint) }]);
  return complaint;
}

export async function getComplaint(kv: Deno.Kv, id: string): Promise<Complaint | null> {
  return (await kv.get<Complaint>(keys.complaint(id))).value;
}

/**
 * One page of complaints, newest first: all of them, or those of one status. `cursor` is the
 * `next_cursor` of the previous page (the last id shown). Filters: complaint_query.ts.
 */
export function listComplaints(
  kv: Deno.Kv,
  status: ComplaintStatus | "all",
  opts: { cursor?: string; limit?: number } = {},
): Promise<{ complaints: Complaint[]; next_cursor: string | null }> {
  return queryComplaints(kv, { status, ...opts });
}

/**
 * Closes (or re-labels) a complaint as resolved or dismissed with the admin's note; the reporter
 * may then file a new one about the same thing. Null if there is no such complaint.
 */
export async function setComplaintStatus(
  kv: Deno.Kv,
  id: string,
  status: "resolved" | "dismissed",
  note: string,
  by: string,
): Promise<Complaint | null> {
  return await commitWithRetry(async () => {
    const entry = await kv.get<Complaint>(keys.complaint(id));
    const old = entry.value;
    if (!old) return null;
    const next: Complaint = {
      ...old,
      status,
      resolution: { note: note.slice(0, MAX_COMPLAINT_TEXT), by, at: new Date().toISOString() },
    };
    const op = kv.atomic().check(entry)
      .set(keys.complaint(id), next)
      .delete(keys.complaintByStatus(old.status, id))
      .set(keys.complaintByStatus(status, id), null);
    if (old.status === "open") {
      op.delete(keys.openComplaint(old.reporter, old.target, old.message_id));
    }
    return { op, result: next };
  });
}

/** How many complaints have this status (the admin's open-count badge). */
export async function countComplaints(kv: Deno.Kv, status: ComplaintStatus): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: keys.complaintsByStatus(status) })) n++;
  return n;
}

/**
 * The admin's view: who (`reporter`), about whom (`user_id`), the reported message and its
 * context as snapshotted, and who handled it with their note.
 */
export function adminComplaint(c: Complaint) {
  return {
    id: c.id,
    reporter: c.reporter,
    user_id: c.target,
    message_id: c.message_id,
    reason: c.reason,
    text: c.text,
    status: c.status,
    created_at: c.created_at,
    updated_at: c.resolution?.at ?? c.created_at,
    handled_by: c.resolution?.by ?? null,
    assignee: c.assignee ?? null,
    note: c.resolution?.note ?? "",
    message: c.snapshot.message,
    context: c.snapshot.context,
  };
}

export type AdminComplaint = ReturnType<typeof adminComplaint>;

/** What the reporter gets back: their complaint without the admin's snapshot. */
export function publicComplaint(c: Complaint) {
  return {
    id: c.id,
    user_id: c.target,
    message_id: c.message_id,
    reason: c.reason,
    text: c.text,
    status: c.status,
    created_at: c.created_at,
  };
}
