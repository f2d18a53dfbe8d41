/** The admin audit log: one row per admin action (who, what, target, when, note). */
import { ulid } from "../../services/core/ids.ts";
import { keys } from "../keys.ts";
import { scanPage } from "./scan_page.ts";

export interface AuditRow {
  id: string;
  at: string;
  /** The admin's user id (or "manage_api" for the site's server). */
  by: string;
  /**
   * message.delete, message.delete_own, user.ban, user.unban, complaint.resolve,
   * complaint.dismiss, complaint.claim, complaint.assign, complaint.release.
   */
  action: string;
  /** What the action was about: a message id, a user id, a complaint id. */
  target: string;
  note: string;
  /** A small snapshot that keeps the row meaningful after the target is gone. */
  details?: Record<string, unknown>;
}

/** Builds a row and adds it to `op`, so the row is committed with the action itself. */
export function addAudit(
  op: Deno.AtomicOperation,
  row: Omit<AuditRow, "id" | "at">,
): AuditRow {
  const now = Date.now();
  const full: AuditRow = { id: ulid(now), at: new Date(now).toISOString(), ...row };
  op.set(keys.audit(full.id), full);
  return full;
}

/** What the audit log can be narrowed to: an actor, an action (or its group, "user."), a target. */
export interface AuditFilter {
  by?: string;
  action?: string;
  target?: string;
}

/** Audit rows one filtered request reads at most (then it pages on). */
export const AUDIT_SCAN_BUDGET = 1000;

function matches(r: AuditRow, f: AuditFilter): boolean {
  if (f.by && r.by !== f.by) return false;
  if (
    f.action && r.action !== f.action && !(f.action.endsWith(".") && r.action.startsWith(f.action))
  ) {
    return false;
  }
  if (f.target) {
    const d = (r.details ?? {}) as Record<string, unknown>;
    // A user is the target of a ban, and also of a complaint or a deleted message about them.
    const about = [r.target, d.user_id, d.reporter, d.from, d.to];
    if (!about.includes(f.target)) return false;
  }
  return true;
}

/**
 * The audit log newest first; `cursor` is the last id of the previous page. With a filter the
 * scan reads at most AUDIT_SCAN_BUDGET rows, so a page may be short and still have a next one.
 */
export async function listAudit(
  kv: Deno.Kv,
  opts: { cursor?: string; limit: number } & AuditFilter,
): Promise<{ audit: AuditRow[]; next_cursor: string | null; scanned: number }> {
  const filtered = Boolean(opts.by || opts.action || opts.target);
  const iter = kv.list<AuditRow>(
    opts.cursor
      ? { prefix: keys.audits(), end: keys.audit(opts.cursor) }
      : { prefix: keys.audits() },
    { reverse: true, limit: filtered ? AUDIT_SCAN_BUDGET : opts.limit + 1, batchSize: 500 },
  );
  const page = await scanPage<AuditRow>(iter, {
    limit: opts.limit,
    budget: filtered ? AUDIT_SCAN_BUDGET : Infinity,
    load: (entries) => Promise.resolve(entries.map((e) => e.value as AuditRow)),
    keep: (r) => matches(r, opts),
    batch: 500,
  });
  return { audit: page.items, next_cursor: page.next_cursor, scanned: page.scanned };
}
