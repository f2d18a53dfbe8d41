/**
 * The complaints queue as admins filter it: by status, by user (the reporter or the accused) and
 * by date (ids are ULIDs, so a date range is an id range), newest first. Filtering by user reads
 * at most COMPLAINT_SCAN_BUDGET index entries per request and pages on (`scanPage`).
 */
import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";
import type { Complaint, ComplaintStatus } from "./complaints.ts";
import { idRange, lastPart, scanPage } from "./scan_page.ts";

export const COMPLAINT_SCAN_BUDGET = 1000;

export interface ComplaintQuery {
  status: ComplaintStatus | "all";
  /** Complaints this user filed or that are about them. */
  user?: string;
  /** Filed at or after / before these times (ms). */
  from?: number;
  to?: number;
  cursor?: string;
  limit?: number;
}

/** One page of complaints; `next_cursor` continues it (see the module comment). */
export async function queryComplaints(
  kv: Deno.Kv,
  q: ComplaintQuery,
): Promise<{ complaints: Complaint[]; next_cursor: string | null }> {
  const limit = q.limit ?? 50;
  const all = q.status === "all";
  const prefix = all ? keys.complaints() : keys.complaintsByStatus(q.status);
  const sel = idRange(prefix, q);
  if (!sel) return { complaints: [], next_cursor: null };
  const budget = q.user ? COMPLAINT_SCAN_BUDGET : limit + 1;
  const iter = kv.list<Complaint | null>(sel, { reverse: true, limit: budget, batchSize: 200 });
  const page = await scanPage<Complaint>(iter, {
    limit,
    budget: q.user ? budget : Infinity,
    load: async (entries) => {
      if (all) return entries.map((e) => e.value as Complaint);
      const found = await getManyChunked<Complaint>(
        kv,
        entries.map((e) => keys.complaint(lastPart(e.key))),
      );
      return found.map((e) => e.value);
    },
    keep: (c) => !q.user || c.reporter === q.user || c.target === q.user,
  });
  return { complaints: page.items, next_cursor: page.next_cursor };
}
