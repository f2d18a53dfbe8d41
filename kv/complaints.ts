/**
 * MINIMAL STAND-IN for issue 4's complaints module, so this branch's admin queue can be built and
 * tested. The lead keeps issue 4's file on merge; the admin routes use only the names and fields
 * below (see the report for the exact assumptions).
 */
import { ulid } from "../services/ids.ts";
import { publishAdmin } from "./admin_log.ts";
import { commitWithRetry } from "./atomic.ts";
import { keys } from "./keys.ts";
import { getMessageById } from "./messages.ts";
import type { Message } from "./types.ts";

export const COMPLAINT_REASONS = ["spam", "abuse", "scam", "other"] as const;
export type ComplaintReason = typeof COMPLAINT_REASONS[number];
export type ComplaintStatus = "open" | "resolved" | "dismissed";

export interface Complaint {
  id: string;
  /** Who complained. */
  reporter: string;
  /** Whom the complaint is about. */
  user_id: string;
  message_id: string | null;
  reason: ComplaintReason;
  text: string;
  status: ComplaintStatus;
  created_at: string;
  updated_at: string;
  /** The admin who resolved or dismissed it, and their note. */
  handled_by: string | null;
  note: string;
  /** The reported message as it was when reported (kept if the message is deleted later). */
  message: Message | null;
}

/** Files a complaint (one open complaint per reporter+target+message) and tells the admins. */
export async function createComplaint(
  kv: Deno.Kv,
  input: {
    reporter: string;
    user_id: string;
    message_id?: string;
    reason: ComplaintReason;
    text?: string;
  },
): Promise<Complaint | null> {
  const message = input.message_id ? await getMessageById(kv, input.message_id) : null;
  const now = new Date();
  const c: Complaint = {
    id: ulid(now.getTime()),
    reporter: input.reporter,
    user_id: input.user_id,
    message_id: input.message_id ?? null,
    reason: input.reason,
    text: input.text ?? "",
    status: "open",
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    handled_by: null,
    note: "",
    message,
  };
  const dedup = keys.complaintOpen(c.reporter, c.user_id, c.message_id ?? "");
  const res = await kv.atomic()
    .check({ key: dedup, versionstamp: null })
    .set(dedup, c.id)
    .set(keys.complaint(c.id), c)
    .set(keys.complaintByStatus("open", c.id), null)
    .commit();
  if (!res.ok) return null;
  await publishAdmin(kv, [{ type: "complaint", data: c }]);
  return c;
}

export async function getComplaint(kv: Deno.Kv, id: string): Promise<Complaint | null> {
  return (await kv.get<Complaint>(keys.complaint(id))).value;
}

/** Complaints with a status ("all": every status), newest first, paged by the last id. */
export async function listComplaints(
  kv: Deno.Kv,
  status: ComplaintStatus | "all",
  cursor?: string,
  limit = 50,
): Promise<{ complaints: Complaint[]; next_cursor: string | null }> {
  const prefix = status === "all" ? keys.complaints() : keys.complaintsByStatus(status);
  const iter = kv.list<Complaint | null>(
    cursor ? { prefix, end: [...prefix, cursor] } : { prefix },
    { reverse: true, limit: limit + 1 },
  );
  const ids: string[] = [];
  for await (const e of iter) ids.push(e.key.at(-1) as string);
  const more = ids.length > limit;
  if (more) ids.pop();
  const entries = await Promise.all(ids.map((id) => getComplaint(kv, id)));
  return {
    complaints: entries.filter((c): c is Complaint => c !== null),
    next_cursor: more ? ids.at(-1)! : null,
  };
}

/** How many complaints have this status (the open count is the admin badge). */
export async function countComplaints(kv: Deno.Kv, status: ComplaintStatus): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: keys.complaintsByStatus(status) })) n++;
  return n;
}

/** Moves a complaint to a status with the admin's note; null if there is no such complaint. */
export async function setComplaintStatus(
  kv: Deno.Kv,
  id: string,
  status: ComplaintStatus,
  note: string,
  by: string,
): Promise<Complaint | null> {
  return await commitWithRetry(async () => {
    const entry = await kv.get<Complaint>(keys.complaint(id));
    const c = entry.value;
    if (!c) return null;
    const next: Complaint = {
      ...c,
      status,
      note,
      handled_by: by,
      updated_at: new Date().toISOString(),
    };
    const op = kv.atomic().check(entry)
      .delete(keys.complaintByStatus(c.status, id))
      .set(keys.complaintByStatus(status, id), null)
      .set(keys.complaint(id), next);
    const dedup = keys.complaintOpen(c.reporter, c.user_id, c.message_id ?? "");
    if (status !== "open") op.delete(dedup);
    return { op, result: next };
  });
}
