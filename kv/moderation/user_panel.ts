/**
 * What the admin page's user side panel shows besides the profile: the people a user talks with
 * (their dialog index, newest first) and how many complaints name them, as accused and reporter.
 */
import { ulidTime } from "../../services/core/ids.ts";
import { keys } from "../keys.ts";
import type { Complaint } from "./complaints.ts";

/** Peers shown (the newest dialogs). */
export const PEERS = 20;
/** Complaints scanned, newest first, to count a user's (they are few next to messages). */
const COMPLAINT_BUDGET = 5000;

export interface Peer {
  user_id: string;
  last_id: string;
  last_at: string;
}

/** The users `uid` has dialogs with, most recently active first. */
export async function recentPeers(kv: Deno.Kv, uid: string, limit = PEERS): Promise<Peer[]> {
  const out: Peer[] = [];
  const iter = kv.list<string>({ prefix: keys.dialogsByTime(uid) }, { reverse: true, limit });
  for await (const e of iter) {
    const lastId = e.key[3] as string;
    out.push({
      user_id: e.value,
      last_id: lastId,
      last_at: new Date(ulidTime(lastId)).toISOString(),
    });
  }
  return out;
}

export interface ComplaintCounts {
  /** Complaints about the user: all, and still open. */
  against: number;
  open: number;
  /** Complaints the user filed. */
  filed: number;
  /** False when the newest COMPLAINT_BUDGET complaints were counted and older ones exist. */
  complete: boolean;
}

/** How many complaints name `uid`, counted over the newest complaints. */
export async function complaintCounts(kv: Deno.Kv, uid: string): Promise<ComplaintCounts> {
  const n: ComplaintCounts = { against: 0, open: 0, filed: 0, complete: true };
  let scanned = 0;
  const iter = kv.list<Complaint>({ prefix: keys.complaints() }, {
    reverse: true,
    limit: COMPLAINT_BUDGET + 1,
    batchSize: 500,
  });
  for await (const e of iter) {
    if (++scanned > COMPLAINT_BUDGET) {
      n.complete = false;
      break;
    }
    const c = e.value;
    if (c.target === uid) {
      n.against++;
      if (c.status === "open") n.open++;
    }
    if (c.reporter === uid) n.filed++;
  }
  return n;
}
