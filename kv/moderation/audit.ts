/** The admin audit log: one row per admin action (who, what, target, when, note). */
import { ulid } from "../../services/core/ids.ts";
import { keys } from "../keys.ts";

export interface AuditRow {
  id: string;
  at: string;
  /** The admin's user id (or "manage_api" for the site's server). */
  by: string;
  /** e.g. message.delete, user.ban, user.unban, complaint.resolve, complaint.dismiss. */
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

/** Writes one audit row on its own (for actions committed by another module). */
export async function writeAudit(
  kv: Deno.Kv,
  row: Omit<AuditRow, "id" | "at">,
): Promise<AuditRow> {
  const op = kv.atomic();
  const full = addAudit(op, row);
  const res = await op.commit();
  if (!res.ok) throw new Error("audit row was not written");
  return full;
}

/** The audit log newest first; `cursor` is the last id of the previous page. */
export async function listAudit(
  kv: Deno.Kv,
  opts: { cursor?: string; limit: number },
): Promise<{ audit: AuditRow[]; next_cursor: string | null }> {
  const iter = kv.list<AuditRow>(
    opts.cursor
      ? { prefix: keys.audits(), end: keys.audit(opts.cursor) }
      : { prefix: keys.audits() },
    { reverse: true, limit: opts.limit + 1 },
  );
  const audit: AuditRow[] = [];
  for await (const e of iter) audit.push(e.value);
  const more = audit.length > opts.limit;
  if (more) audit.pop();
  return { audit, next_cursor: more ? audit.at(-1)!.id : null };
}
