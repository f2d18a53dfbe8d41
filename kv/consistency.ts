/**
 * A consistency check over a whole KV store: every index entry points at its record and every
 * record has its index entries, counters equal what they count, event logs are gap-free, no image
 * part is orphaned, no erasure or repair is left half-done, and (when asked) nothing is left of
 * erased users. The test harness runs it when every test server closes; it reads the whole store,
 * so it is meant for tests and for an owner's occasional audit, not for a request path.
 */
import { hourOf } from "./moderation/message_index.ts";
import { familyFirst as flat, keys } from "./keys.ts";
import { tabsOf } from "./people/contact_index.ts";
import type { ContactRecord } from "./people/contact_index.ts";
import type { DialogSide } from "./messaging/dialogs.ts";
import type { Message, MessageRef } from "./types.ts";

type Entry = Deno.KvEntry<unknown>;

/** One broken invariant: which rule, and the key it was found at. */
export interface Violation {
  rule: string;
  key: string;
  detail?: string;
}

function show(key: Deno.KvKey): string {
  return JSON.stringify(key, (_k, v) => typeof v === "bigint" ? String(v) : v);
}

/** Entries grouped by their key's family (flat(key)[0]). */
async function byPrefix(kv: Deno.Kv): Promise<Map<string, Entry[]>> {
  const out = new Map<string, Entry[]>();
  for await (const e of kv.list({ prefix: [] }, { batchSize: 500 })) {
    const p = String(flat(e.key)[0]);
    const list = out.get(p) ?? [];
    list.push(e);
    out.set(p, list);
  }
  return out;
}

/** Checks the store; returns every violation found (an empty list means consistent). */
export async function checkConsistency(
  kv: Deno.Kv,
  opts: { erased?: string[] } = {},
): Promise<Violation[]> {
  const all = await byPrefix(kv);
  const of = (k: Deno.KvKey) => all.get(String(flat(k)[0])) ?? [];
  const has = new Set<string>();
  for (const list of all.values()) for (const e of list) has.add(show(e.key));
  const exists = (k: Deno.KvKey) => has.has(show(k));
  const out: Violation[] = [];
  const bad = (rule: string, key: Deno.KvKey, detail?: string) =>
    out.push({ rule, key: show(key), ...(detail ? { detail } : {}) });

  // Messages, their id index and the admin indexes.
  const messages = new Map<string, Message & { lo: string; hi: string }>();
  const newest = new Map<string, string>();
  for (const e of of(keys.messages(["", ""]))) {
    const [, lo, hi, id] = flat(e.key) as [string, string, string, string];
    const m = e.value as Message;
    messages.set(id, { ...m, lo, hi });
    const pairId = `${lo}\0${hi}`;
    if ((newest.get(pairId) ?? "") < id) newest.set(pairId, id);
    if ([lo, hi].join() !== [m.from, m.to].sort().join()) bad("message_pair", e.key);
    const ref = has.has(show(keys.messageRef(id)));
    if (!ref) bad("message_without_ref", e.key);
    for (
      const k of [
        keys.adminFeed(id),
        keys.adminUserMessage(m.from, id),
        keys.adminUserMessage(m.to, id),
      ]
    ) {
      if (!exists(k)) bad("message_without_admin_index", e.key, show(k));
    }
    if (Boolean(m.attachment) !== exists(keys.adminAttachment(id))) {
      bad("message_attachment_index", e.key);
    }
    if (m.attachment && !exists(keys.attachment(m.attachment.id))) {
      bad("message_without_attachment", e.key);
    }
  }
  const pointsAtMessage = (rule: string, e: Entry, id: string) => {
    const m = messages.get(id);
    const ref = e.value as MessageRef | null;
    if (!m || (ref && (ref.lo !== m.lo || ref.hi !== m.hi))) bad(rule, e.key);
  };
  for (const e of of(keys.messageRef(""))) {
    pointsAtMessage("ref_without_message", e, String(e.key[1]));
  }
  for (const e of of(keys.adminFeedAll())) {
    pointsAtMessage("admin_feed_orphan", e, String(e.key[1]));
  }
  for (const e of of(keys.adminAttachments())) {
    pointsAtMessage("admin_attachment_orphan", e, String(e.key[1]));
  }
  for (const e of of(keys.adminUserMessages(""))) {
    const [, uid, id] = flat(e.key);
    const m = messages.get(String(id));
    if (!m || (m.from !== uid && m.to !== uid)) bad("admin_user_orphan", e.key);
  }
  for (const e of of(keys.translations(""))) {
    if (!messages.has(String(e.key[1]))) bad("translation_orphan", e.key);
  }

  // Attachments: records, their parts, staged uploads.
  const chunks = new Map<string, number[]>();
  for (const e of of(keys.attachmentChunks(""))) {
    const id = String(e.key[1]);
    chunks.set(id, [...chunks.get(id) ?? [], Number(e.key[2])]);
  }
  const owned = new Set<string>();
  for (const e of of(keys.attachments())) {
    const rec = e.value as { id: string; message_id: string; chunks: number };
    owned.add(rec.id);
    const parts = chunks.get(rec.id) ?? [];
    if (parts.length !== rec.chunks || parts.some((n, i) => n !== i)) {
      bad("attachment_parts", e.key, `${parts.length} of ${rec.chunks}`);
    }
    if (messages.get(rec.message_id)?.attachment?.id !== rec.id) bad("attachment_orphan", e.key);
  }
  for (const e of of(keys.uploadsPending())) owned.add(String(e.key[1]));
  for (const id of chunks.keys()) {
    if (!owned.has(id)) {
      bad("orphan_chunks", keys.attachmentChunks(id), `${chunks.get(id)!.length}`);
    }
  }

  // Dialog sides, their activity index and unread counters.
  const sides = new Map<string, DialogSide>();
  for (const e of of(keys.dialogs(""))) {
    const [, owner, peer] = flat(e.key) as [string, string, string];
    const side = e.value as DialogSide;
    sides.set(`${owner}\0${peer}`, side);
    const last = newest.get(owner < peer ? `${owner}\0${peer}` : `${peer}\0${owner}`) ?? null;
    if ((side.last_id ?? null) !== last) bad("dialog_last_id", e.key, `${side.last_id} != ${last}`);
    let unread = 0;
    for (const m of messages.values()) {
      if (m.from === peer && m.to === owner && (!side.read_up_to || m.id > side.read_up_to)) {
        unread++;
      }
    }
    if (side.unread !== unread) bad("dialog_unread", e.key, `${side.unread} != ${unread}`);
    const counter = of(keys.unreads("")).find((u) => {
      const [, o, p] = flat(u.key);
      return o === owner && p === peer;
    });
    if ((counter?.value ?? 0) !== unread) {
      bad("unread_counter", e.key, `${counter?.value} != ${unread}`);
    }
  }
  for (const m of messages.values()) {
    for (const [o, p] of [[m.from, m.to], [m.to, m.from]]) {
      if (!sides.has(`${o}\0${p}`)) bad("message_without_dialog", keys.dialog(o, p), m.id);
    }
  }
  for (const e of of(keys.unreads(""))) {
    const [, owner, peer] = flat(e.key);
    if (!sides.has(`${String(owner)}\0${String(peer)}`)) bad("unread_without_dialog", e.key);
  }
  const timeEntries = new Map<string, number>();
  for (const e of of(keys.dialogsByTime(""))) {
    const [, owner, lastId, peer] = flat(e.key) as [string, string, string, string];
    timeEntries.set(`${owner}\0${peer}`, (timeEntries.get(`${owner}\0${peer}`) ?? 0) + 1);
    if (sides.get(`${owner}\0${peer}`)?.last_id !== lastId || e.value !== peer) {
      bad("dialog_order_stale", e.key);
    }
  }
  for (const [id, side] of sides) {
    const n = timeEntries.get(id) ?? 0;
    if (n !== (side.last_id ? 1 : 0)) bad("dialog_order_count", keys.dialog(...split(id)), `${n}`);
  }

  // The admin's per-dialog activity entries and hourly counters.
  const perHour = new Map<number, number>();
  const pairSeen = new Set<string>();
  for (const e of of(keys.pairActivities())) {
    const [, lastId, lo, hi] = e.key as [string, string, string, string];
    pairSeen.add(`${lo}\0${hi}`);
    if (newest.get(`${lo}\0${hi}`) !== lastId) bad("pair_activity_stale", e.key);
    perHour.set(hourOf(lastId), (perHour.get(hourOf(lastId)) ?? 0) + 1);
  }
  for (const p of newest.keys()) {
    if (!pairSeen.has(p)) bad("pair_activity_missing", ["adm_pair_time", p]);
  }
  const buckets = new Map<number, bigint>();
  for (const e of of(keys.activityBuckets())) {
    const hour = Number(e.key[1]);
    const v = (e.value as Deno.KvU64).value * (e.key[2] === "in" ? 1n : -1n);
    buckets.set(hour, (buckets.get(hour) ?? 0n) + v);
  }
  for (const hour of new Set([...buckets.keys(), ...perHour.keys()])) {
    const want = BigInt(perHour.get(hour) ?? 0);
    if ((buckets.get(hour) ?? 0n) !== want) {
      bad("activity_bucket", keys.activityBucketsFrom(hour), `${buckets.get(hour)} != ${want}`);
    }
  }

  // Event logs: numbered 1.. without gaps (the oldest may have expired), ending at the counter.
  const logs = new Map<string, number[]>();
  for (const e of of(keys.events(""))) {
    const [, uid, seq] = flat(e.key);
    logs.set(String(uid), [...logs.get(String(uid)) ?? [], Number(seq)]);
  }
  const heads = new Map(of(keys.eventSeq("")).map((e) => [String(e.key[1]), Number(e.value)]));
  for (const [uid, seqs] of logs) {
    const head = heads.get(uid);
    if (head === undefined) bad("events_without_counter", keys.events(uid));
    else if (seqs.at(-1)! !== head) {
      bad("event_counter", keys.eventSeq(uid), `${seqs.at(-1)} != ${head}`);
    }
    if (seqs.some((n, i) => i > 0 && n !== seqs[i - 1] + 1)) bad("event_gap", keys.events(uid));
  }

  // Contacts, sessions, complaints.
  for (const e of of(keys.contacts(""))) {
    const [, owner, peer] = e.key as [string, string, string];
    const r = e.value as ContactRecord;
    if (!exists(keys.contactOf(peer, owner))) bad("contact_without_reverse", e.key);
    for (const t of tabsOf(r)) {
      if (!exists(keys.contactIndex(owner, t, r.sort, peer))) bad("contact_without_tab", e.key, t);
    }
  }
  for (const e of of(keys.contactOwners(""))) {
    if (!exists(keys.contact(String(e.key[2]), String(e.key[1])))) bad("contact_of_orphan", e.key);
  }
  for (const e of of(keys.contactTabs(""))) {
    const [, owner, tab, sort, peer] = e.key as string[];
    const r = all.get("contact")?.find((c) => c.key[1] === owner && c.key[2] === peer)?.value as
      | ContactRecord
      | undefined;
    if (!r || r.sort !== sort || !tabsOf(r).includes(tab as never)) {
      bad("contact_tab_orphan", e.key);
    }
  }
  for (const e of of(keys.session(""))) {
    const uid = (e.value as { user_id: string }).user_id;
    if (!exists(keys.userSession(uid, String(e.key[1])))) bad("session_without_index", e.key);
  }
  for (const e of of(keys.userSessions(""))) {
    if (!exists(keys.session(String(e.key[2])))) bad("session_index_orphan", e.key);
  }
  for (const e of of(keys.complaints())) {
    const c = e.value as { id: string; status: string };
    if (!exists(keys.complaintByStatus(c.status, c.id))) bad("complaint_without_status", e.key);
  }
  for (const e of of(keys.complaintsByStatus(""))) {
    const c = all.get("complaint")?.find((x) => x.key[1] === e.key[2])?.value as
      | { status: string }
      | undefined;
    if (c?.status !== e.key[1]) bad("complaint_status_orphan", e.key);
  }

  // Work left half-done.
  for (const e of of(keys.erasings())) bad("erasure_unfinished", e.key);
  for (const e of of(keys.retentionRepairs())) bad("retention_repair_unfinished", e.key);

  // Nothing of an erased user, except moderation records (audit rows) without message text.
  for (const uid of opts.erased ?? []) {
    const needle = JSON.stringify(uid);
    for (const [prefix, list] of all) {
      for (const e of list) {
        const text = JSON.stringify(e.value, (_k, v) => typeof v === "bigint" ? String(v) : v);
        if (!e.key.includes(uid) && !text?.includes(needle)) continue;
        if (prefix === keys.audits()[0]) {
          if ((e.value as { details?: { text?: unknown } }).details?.text !== undefined) {
            bad("erased_user_audit_text", e.key, uid);
          }
          continue;
        }
        bad("erased_user_left", e.key, uid);
      }
    }
  }
  return out;
}

function split(id: string): [string, string] {
  const [a, b] = id.split("\0");
  return [a, b];
}
