/**
 * Handling complaints: claiming or assigning one (who works on it, shown to colleagues live),
 * and closing one or many (resolve / dismiss, "resolve and ban" in the same atomic). Closing
 * checks each complaint is still open inside its atomic, so a colleague's decision is never
 * overwritten; bulk closing works in chunks that fit KV's limits and reports every id.
 */
import { commitWithRetry } from "../atomic.ts";
import { keys } from "../keys.ts";
import { addAudit, type AuditRow } from "./audit.ts";
import { addBanChange, type Ban, type BanChange } from "./bans.ts";
import { type Complaint, MAX_COMPLAINT_TEXT } from "./complaints.ts";

/**
 * Complaints closed per atomic: one check each, and at most 10 checks per atomic (a ban adds one,
 * so "resolve and ban" closes one at a time); 5 mutations each stays far below 1,000.
 */
export const CLOSE_CHUNK = 10;
/** Ids one bulk request may name. */
export const MAX_BULK = 200;

export type CloseStatus = "resolved" | "dismissed";

export interface CloseOutcome {
  /** Closed by this request, as stored now. */
  closed: Complaint[];
  /** Not closed: `not_found`, `complaint_closed` (a colleague decided first, with its status). */
  skipped: { id: string; code: "not_found" | "complaint_closed"; status?: string }[];
  /** Not closed: their chunk did not commit (kept conflicting, or the store failed); retry them. */
  failed: { id: string; code: "not_committed" }[];
  audit: AuditRow[];
  ban: Ban | null;
}

/** Closes one chunk of ≤ CLOSE_CHUNK complaints (and bans the accused with `ban`, one only). */
async function closeChunk(
  kv: Deno.Kv,
  ids: string[],
  status: CloseStatus,
  note: string,
  by: string,
  ban: BanChange | null,
  out: CloseOutcome,
) {
  const result = await commitWithRetry(async () => {
    const entries = await kv.getMany<Complaint[]>(ids.map((id) => keys.complaint(id)));
    const op = kv.atomic();
    const closed: Complaint[] = [];
    const skipped: CloseOutcome["skipped"] = [];
    const audit: AuditRow[] = [];
    const at = new Date().toISOString();
    entries.forEach((entry, i) => {
      const old = entry.value;
      if (!old) return skipped.push({ id: ids[i], code: "not_found" });
      if (old.status !== "open") {
        return skipped.push({ id: ids[i], code: "complaint_closed", status: old.status });
      }
      const next: Complaint = {
        ...old,
        status,
        resolution: { note: note.slice(0, MAX_COMPLAINT_TEXT), by, at },
      };
      op.check(entry)
        .set(keys.complaint(old.id), next)
        .delete(keys.complaintByStatus("open", old.id))
        .set(keys.complaintByStatus(status, old.id), null)
        .delete(keys.openComplaint(old.reporter, old.target, old.message_id));
      audit.push(addAudit(op, {
        by,
        action: `complaint.${status === "resolved" ? "resolve" : "dismiss"}`,
        target: old.id,
        note,
        details: { reporter: old.reporter, user_id: old.target },
      }));
      closed.push(next);
    });
    let banned: Ban | null = null;
    if (ban && closed.length === 1) {
      const target = closed[0].target;
      const entry = await kv.get<Ban>(keys.ban(target));
      op.check(entry);
      const change = addBanChange(op, entry, target, by, ban);
      banned = change.ban;
      audit.push(change.audit);
    }
    return { op, result: { closed, skipped, audit, banned } };
  }, 10).catch(() => null);
  if (!result) {
    for (const id of ids) out.failed.push({ id, code: "not_committed" });
    return;
  }
  out.closed.push(...result.closed);
  out.skipped.push(...result.skipped);
  out.audit.push(...result.audit);
  out.ban = result.banned ?? out.ban;
}

/**
 * Closes the given open complaints with one note, chunk by chunk; each chunk commits on its own,
 * so an answer may be partial and says which ids were closed, skipped and failed.
 */
export async function closeComplaints(
  kv: Deno.Kv,
  ids: string[],
  status: CloseStatus,
  note: string,
  by: string,
  ban: BanChange | null = null,
): Promise<CloseOutcome> {
  const out: CloseOutcome = { closed: [], skipped: [], failed: [], audit: [], ban: null };
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CLOSE_CHUNK) {
    await closeChunk(kv, unique.slice(i, i + CLOSE_CHUNK), status, note, by, ban, out);
  }
  return out;
}

/**
 * Sets who handles an open complaint (`assignee` null: nobody). "complaint_closed" when it was
 * decided meanwhile, null when there is no such complaint.
 */
export async function assignComplaint(
  kv: Deno.Kv,
  id: string,
  assignee: string | null,
  by: string,
): Promise<{ complaint: Complaint; audit: AuditRow } | "complaint_closed" | null> {
  type Done = { complaint: Complaint; audit: AuditRow } | "complaint_closed";
  return await commitWithRetry<Done>(async () => {
    const entry = await kv.get<Complaint>(keys.complaint(id));
    const old = entry.value;
    if (!old) return null;
    if (old.status !== "open") return { op: kv.atomic().check(entry), result: "complaint_closed" };
    const at = new Date().toISOString();
    const next: Complaint = {
      ...old,
      assignee: assignee ? { user_id: assignee, by, at } : null,
    };
    const op = kv.atomic().check(entry).set(keys.complaint(id), next);
    const audit = addAudit(op, {
      by,
      action: !assignee
        ? "complaint.release"
        : assignee === by
        ? "complaint.claim"
        : "complaint.assign",
      target: id,
      note: "",
      details: {
        reporter: old.reporter,
        user_id: old.target,
        ...(assignee ? { assignee } : { released: old.assignee?.user_id ?? null }),
      },
    });
    return { op, result: { complaint: next, audit } };
  });
}
