/**
 * Every KV key family that holds or mentions a user, in one list, FAMILIES. Erasing
 * (kv/privacy/erase.ts) erases what every family finds; exporting shows what every family with a
 * `show` finds. Both walk this one list, so they cannot drift apart: a new feature that stores
 * something about a user adds ONE line to FAMILIES (and, for keys hanging off a message, to
 * MESSAGE_PARTS). tests/manage/privacy_test.ts lists every key in KV after a delete and fails on
 * any leftover; kv/consistency.ts checks the same for every erased user in the deletion tests.
 */
import { ADMIN_LOG } from "../moderation/admin_feed.ts";
import { hourOf } from "../moderation/message_index.ts";
import type { AuditRow } from "../moderation/audit.ts";
import { EVENT_TTL_MS } from "../messaging/events.ts";
import { keys, pair } from "../keys.ts";
import type { Message, StoredEvent } from "../types.ts";

/**
 * The user being erased or exported, everyone they have a dialog with, and every user whose
 * event log may mention them (dialog peers, people who had them as a contact, people they typed
 * to).
 */
export interface Subject {
  uid: string;
  peers: string[];
  logOwners: string[];
}

type Entry = Deno.KvEntry<unknown>;
/** How the export presents a family's entries; families without one are erased, not exported. */
type Show = (entries: Entry[]) => unknown;

export interface KeyFamily {
  /** Section name in the export. */
  name: string;
  /** Every entry of this family that belongs to or mentions the subject. */
  find(kv: Deno.Kv, s: Subject): AsyncIterable<Entry>;
  show?: Show;
  /**
   * How an erase removes one entry (at most 2 mutations); the default deletes it. Families whose
   * entries others count on rewrite them instead: event logs stay gap-free, counters stay exact,
   * moderation records stay (without message content).
   */
  erase?: (op: Deno.AtomicOperation, e: Entry) => void;
  /** Erase each entry in its own atomic that checks it (a changed entry waits for a next pass). */
  checked?: true;
  /** Checked entries that touch nothing but themselves: several may share one checked atomic. */
  batched?: true;
}

/** A key, or every key under a prefix. */
export type Target = Deno.KvKey | { prefix: Deno.KvKey };

/**
 * Keys that belong to one message and go with it, on erase and on retention (kv/privacy/retention.ts).
 * Attachments add their record and chunks here.
 */
export const MESSAGE_PARTS: ((m: Message) => Target[])[] = [
  (m) => [keys.messageRef(m.id)],
  (m) =>
    m.attachment
      ? [
        keys.attachment(m.attachment.id),
        keys.attachmentThumb(m.attachment.id),
        { prefix: keys.attachmentChunks(m.attachment.id) },
      ]
      : [],
  (m) => [{ prefix: keys.translations(m.id) }],
  // The admin indexes (kv/moderation/message_index.ts): feed, gallery, and both users' message lists.
  (m) => [
    keys.adminFeed(m.id),
    keys.adminAttachment(m.id),
    keys.adminUserMessage(m.from, m.id),
    keys.adminUserMessage(m.to, m.id),
  ],
];

// How the export shows a family.
const values: Show = (es) => es.map((e) => e.value);
const single: Show = (es) => es[0]?.value ?? null;
const count: Show = (es) => ({ count: es.length });
const present: Show = (es) => es.length > 0;
const unreadTotals: Show = (es) => ({
  total: es.reduce((n, e) => n + (e.value as number), 0),
  by_user: Object.fromEntries(es.map((e) => [e.key[3], e.value])),
});

/** True when a key part equals `uid` or the value's JSON holds `uid` as a string. */
export function mentions(e: Entry, uid: string): boolean {
  if (e.key.includes(uid)) return true;
  try {
    return JSON.stringify(e.value)?.includes(JSON.stringify(uid)) ?? false;
  } catch {
    return false; // bigint and the like: not JSON, holds no user id
  }
}

/** Reads targets: a key's entry if it exists, or every entry under a prefix. */
export async function* resolve(kv: Deno.Kv, targets: Target[]): AsyncIterable<Entry> {
  for (const t of targets) {
    if (Array.isArray(t)) {
      const e = await kv.get(t as Deno.KvKey);
      if (e.versionstamp !== null) yield e as Entry;
    } else {
      yield* kv.list({ prefix: (t as { prefix: Deno.KvKey }).prefix });
    }
  }
}

/** One key per user. */
function one(name: string, key: (uid: string) => Deno.KvKey, show?: Show): KeyFamily {
  return { name, show, find: (kv, s) => resolve(kv, [key(s.uid)]) };
}

/** Everything under a prefix of the user's own. */
function under(name: string, prefix: (uid: string) => Deno.KvKey, show?: Show): KeyFamily {
  return { name, show, find: (kv, s) => kv.list({ prefix: prefix(s.uid) }) };
}

/** The other side's copy: `key(peer, uid)` for every peer. */
function mirrored(
  name: string,
  key: (peer: string, uid: string) => Deno.KvKey,
  show?: Show,
): KeyFamily {
  return { name, show, find: (kv, s) => resolve(kv, s.peers.map((p) => key(p, s.uid))) };
}

/** Entries under each peer's prefix that mention the user (in a key part or the value). */
function mentionedUnder(
  name: string,
  prefix: (peer: string) => Deno.KvKey,
  who: (s: Subject) => string[] = (s) => s.peers,
  erase?: KeyFamily["erase"],
): KeyFamily {
  return {
    name,
    erase,
    async *find(kv, s) {
      for (const p of who(s)) {
        for await (const e of kv.list({ prefix: prefix(p) })) if (mentions(e, s.uid)) yield e;
      }
    },
  };
}

/**
 * An event about the erased user, in someone else's log, becomes a bare `erased` event with the
 * same number: the log keeps no gap (streams would read one as expired events), the data goes.
 */
const redactEvent: KeyFamily["erase"] = (op, e) => {
  const seq = (e.value as StoredEvent).seq;
  const blank: StoredEvent = { seq, type: "erased", data: null };
  op.set(e.key, blank, { expireIn: EVENT_TTL_MS });
};

/** What of an audit row goes on erase: the message content it quoted. */
const AUDIT_CONTENT = ["text", "original_text", "snapshot", "message"];

function auditContent(row: AuditRow): boolean {
  return AUDIT_CONTENT.some((f) => row.details?.[f] !== undefined);
}

/** Moderation records stay (who did what to whom, when, why), minus the message content. */
const auditRows: KeyFamily = {
  name: "audit",
  async *find(kv, s) {
    for await (const e of kv.list<AuditRow>({ prefix: keys.audits() })) {
      if (mentions(e, s.uid) && auditContent(e.value)) yield e;
    }
  },
  erase(op, e) {
    const row = e.value as AuditRow;
    const details = Object.fromEntries(
      Object.entries(row.details ?? {}).filter(([k]) => !AUDIT_CONTENT.includes(k)),
    );
    op.set(e.key, { ...row, details: { ...details, content_erased: true } });
  },
};

/** Staged uploads of the user (or to them), with the parts already written. */
const pendingUploads: KeyFamily = {
  name: "pending_uploads",
  async *find(kv, s) {
    for await (const e of kv.list({ prefix: keys.uploadsPending() })) {
      if (!mentions(e, s.uid)) continue;
      yield e;
      yield* kv.list({ prefix: keys.attachmentChunks(e.key[1] as string) });
    }
  },
};

/** Others' typing throttle keys towards the user (the user's own are under their prefix). */
const typingTo: KeyFamily = {
  name: "typing_to",
  async *find(kv, s) {
    for await (const e of kv.list({ prefix: keys.typingAll() })) if (e.key[2] === s.uid) yield e;
  },
};

/** Entries under a global prefix that mention the user. Only for small collections. */
function mentionedIn(name: string, prefix: Deno.KvKey): KeyFamily {
  return {
    name,
    async *find(kv, s) {
      for await (const e of kv.list({ prefix })) if (mentions(e, s.uid)) yield e;
    },
  };
}

/** Every message of every dialog the user is in, sent and received. */
export async function* messagesOf(kv: Deno.Kv, s: Subject): AsyncIterable<Deno.KvEntry<Message>> {
  for (const p of s.peers) yield* kv.list<Message>({ prefix: keys.messages(pair(s.uid, p)) });
}

const messages: KeyFamily = { name: "messages", show: values, find: messagesOf };

/** The records of the images in the user's messages (their bytes go with the message parts). */
const attachments: KeyFamily = {
  name: "attachments",
  show: values,
  async *find(kv, s) {
    for await (const m of messagesOf(kv, s)) {
      if (m.value.attachment) yield* resolve(kv, [keys.attachment(m.value.attachment.id)]);
    }
  },
};

const messageParts: KeyFamily = {
  name: "message_parts",
  async *find(kv, s) {
    for await (const m of messagesOf(kv, s)) {
      yield* resolve(kv, MESSAGE_PARTS.flatMap((part) => part(m.value)));
    }
  },
};

/** The session records behind the user's session index. */
const sessionRecords: KeyFamily = {
  name: "session_records",
  async *find(kv, s) {
    for await (const e of kv.list({ prefix: keys.userSessions(s.uid) })) {
      yield* resolve(kv, [keys.session(e.key[2] as string)]);
    }
  },
};

/** The peers' activity-index entries pointing at the user (found via the peer's dialog side). */
const peerDialogIndex: KeyFamily = {
  name: "peer_dialog_index",
  async *find(kv, s) {
    for (const p of s.peers) {
      const side = (await kv.get<{ last_id: string | null }>(keys.dialog(p, s.uid))).value;
      if (side?.last_id) yield* resolve(kv, [keys.dialogByTime(p, side.last_id, s.uid)]);
    }
  },
};

/** Complaints filed by or about the user, with their status-index entries. */
const complaints: KeyFamily = {
  name: "complaints",
  show: (es) => es.filter((e) => e.key[0] === keys.complaints()[0]).map((e) => e.value),
  async *find(kv, s) {
    for await (const e of kv.list<{ id: string; status: string }>({ prefix: keys.complaints() })) {
      if (!mentions(e, s.uid)) continue;
      yield e;
      yield* resolve(kv, [keys.complaintByStatus(e.value.status, e.value.id)]);
    }
  },
};

/**
 * The admin's per-dialog activity entries of the user's dialogs; the hourly counters count the
 * dialog out as it goes. Found by a scan (not through the dialog states, which the erase removes
 * and a concurrent retention repair may have moved past), and erased each in its own checked
 * atomic, so two erases of the two members of one dialog cannot both count it out.
 */
const pairActivity: KeyFamily = {
  name: "pair_activity",
  checked: true,
  erase(op, e) {
    op.delete(e.key).sum(keys.activityBucket(hourOf(e.key[1] as string), "out"), 1n);
  },
  async *find(kv, s) {
    for await (const e of kv.list({ prefix: keys.pairActivities() })) {
      if (e.key[2] === s.uid || e.key[3] === s.uid) yield e;
    }
  },
};

/**
 * THE list. Order matters only for the export's layout. Parallel features add their line here:
 * e.g. `under("favourites", keys.favourites, values)` for the user's own relations and
 * `mirrored("favourited_by", (peer, uid) => keys.favourite(peer, uid))` for the other side.
 */
export const FAMILIES: KeyFamily[] = [
  one("profile", keys.user, single),
  one("registered_key", keys.userKey, present),
  one("host_hash_cache", keys.hostHash),
  one("role", keys.role),
  one("session_epoch", keys.sessionEpoch),
  mentionedIn("admin_signin_codes", ["admin_signin_code"]),
  one("host_unknown_mark", keys.hostUnknown),
  under("sessions", keys.userSessions, count),
  sessionRecords,
  messages,
  attachments,
  messageParts,
  under("dialogs", keys.dialogs, values),
  under("dialog_index", keys.dialogsByTime),
  under("unread", keys.unreads, unreadTotals),
  // The event counter goes last, with the erasure marker (kv/privacy/erase.ts).
  under("events", keys.events, count),
  // The other side of each dialog: the peer's dialog state, index entry, unread counter, events.
  mirrored("peer_dialogs", (peer, uid) => keys.dialog(peer, uid)),
  peerDialogIndex,
  mirrored("peer_unread", (peer, uid) => keys.unread(peer, uid)),
  // Checked: a blind re-write would bring back an event that the erase of that log's own
  // owner (running at the same time) has just deleted, leaving a log without its counter.
  {
    ...mentionedUnder("peer_events", keys.events, (s) => s.logOwners, redactEvent),
    checked: true,
    batched: true,
  },
  complaints,
  mentionedIn("open_complaints", ["complaint_open"]),
  // Favourites, blocks and contact indexes (forgetContacts erased them; this exports and checks).
  under("contacts", keys.contacts, values),
  under("contact_index", keys.contactTabs),
  mentionedUnder("peer_contacts", keys.contacts),
  one("contact_sync", keys.contactSync),
  under("contact_owners", keys.contactOwners),
  one("presence", keys.presence),
  under("typing", keys.typingFrom),
  typingTo,
  under("send_ids", keys.sendIds),
  // Admin side: indexes, ban, moderation audit rows and live-monitor events about the user.
  under("admin_user_index", keys.adminUserMessages),
  one("admin_seen", keys.adminSeenUser),
  one("admin_sent", keys.adminSentBy),
  pairActivity,
  one("ban", keys.ban, single),
  under("admin_notes", keys.adminNotes),
  under("image_grants", keys.imageGrants),
  auditRows,
  { ...mentionedIn("admin_events", keys.events(ADMIN_LOG)), erase: redactEvent },
  pendingUploads,
  mentionedIn("rate_counters", ["rate"]),
  // Webhook events still waiting in the outbox (poll delivery only; queue messages are opaque).
  mentionedIn("webhook_outbox", keys.webhookOutboxAll()),
];

/**
 * The user, the peers of their dialogs (from their dialog states and indexes), and whose event
 * logs may mention them: peers, contacts' owners and whom they typed to.
 */
export async function subjectOf(kv: Deno.Kv, uid: string): Promise<Subject> {
  const peers = new Set<string>();
  for await (const e of kv.list({ prefix: keys.dialogs(uid) })) peers.add(e.key[3] as string);
  for await (const e of kv.list({ prefix: keys.unreads(uid) })) peers.add(e.key[3] as string);
  for await (const e of kv.list<string>({ prefix: keys.dialogsByTime(uid) })) peers.add(e.value);
  peers.delete(uid);
  const logOwners = new Set(peers);
  for await (const e of kv.list({ prefix: keys.contactOwners(uid) })) {
    logOwners.add(e.key[2] as string);
  }
  for await (const e of kv.list({ prefix: keys.contacts(uid) })) logOwners.add(e.key[2] as string);
  for await (const e of kv.list({ prefix: keys.typingFrom(uid) })) {
    logOwners.add(e.key[2] as string);
  }
  logOwners.delete(uid);
  return { uid, peers: [...peers].sort(), logOwners: [...logOwners].sort() };
}
