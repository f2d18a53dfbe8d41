/**
 * Privacy requests: erase a user (manage API `DELETE /users/:id`) and export what Parley holds
 * about them (`GET /users/:id/export`).
 *
 * Every KV key family that holds or mentions a user is in one list, FAMILIES. Erasing deletes
 * what every family finds; exporting shows what every family with a `show` finds.
 * Both walk this one list, so they cannot drift apart: a new feature that stores something about
 * a user adds ONE line to FAMILIES (and, for keys hanging off a message, to MESSAGE_PARTS).
 * tests/manage/privacy_test.ts lists every key in KV after a delete and fails on any leftover.
 */
import { ADMIN_LOG } from "../moderation/admin_feed.ts";
import { publish } from "../messaging/events.ts";
import { keys, pair } from "../keys.ts";
import { forgetContacts } from "../people/relations.ts";
import { revokeSessions } from "../people/sessions.ts";
import type { Message } from "../types.ts";

/** The user being erased or exported, and everyone they have a dialog with. */
export interface Subject {
  uid: string;
  peers: string[];
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
      ? [keys.attachment(m.attachment.id), { prefix: keys.attachmentChunks(m.attachment.id) }]
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
  by_user: Object.fromEntries(es.map((e) => [e.key[2], e.value])),
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
function mentionedUnder(name: string, prefix: (peer: string) => Deno.KvKey): KeyFamily {
  return {
    name,
    async *find(kv, s) {
      for (const p of s.peers) {
        for await (const e of kv.list({ prefix: prefix(p) })) if (mentions(e, s.uid)) yield e;
      }
    },
  };
}

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

/** The admin's per-dialog activity entries of the user's dialogs (keyed by the last message). */
const pairActivity: KeyFamily = {
  name: "pair_activity",
  async *find(kv, s) {
    for (const p of s.peers) {
      const side = (await kv.get<{ last_id: string | null }>(keys.dialog(s.uid, p))).value;
      if (side?.last_id) yield* resolve(kv, [keys.pairActivity(side.last_id, pair(s.uid, p))]);
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
  messageParts,
  under("dialogs", keys.dialogs, values),
  under("dialog_index", keys.dialogsByTime),
  under("unread", keys.unreads, unreadTotals),
  one("event_seq", keys.eventSeq),
  under("events", keys.events, count),
  // The other side of each dialog: the peer's dialog state, index entry, unread counter, events.
  mirrored("peer_dialogs", (peer, uid) => keys.dialog(peer, uid)),
  peerDialogIndex,
  mirrored("peer_unread", (peer, uid) => keys.unread(peer, uid)),
  mentionedUnder("peer_events", keys.events),
  complaints,
  mentionedIn("open_complaints", ["complaint_open"]),
  // Favourites, blocks and contact indexes (forgetContacts erased them; this exports and checks).
  under("contacts", keys.contacts, values),
  under("contact_index", keys.contactTabs),
  mentionedUnder("peer_contacts", keys.contacts),
  one("contact_sync", keys.contactSync),
  under("contact_owners", keys.contactOwners),
  one("presence", keys.presence),
  under("typing", (uid) => ["typing", uid]),
  // Admin side: indexes, ban, moderation audit rows and live-monitor events about the user.
  under("admin_user_index", keys.adminUserMessages),
  one("admin_seen", keys.adminSeenUser),
  pairActivity,
  one("ban", keys.ban, single),
  mentionedIn("audit", keys.audits()),
  mentionedIn("admin_events", keys.events(ADMIN_LOG)),
  mentionedIn("pending_uploads", keys.uploadsPending()),
  mentionedIn("rate_counters", ["rate"]),
  // Webhook events still waiting in the outbox (poll delivery only; queue messages are opaque).
  mentionedIn("webhook_outbox", keys.webhookOutboxAll()),
];

/** The user and the peers of their dialogs (from their dialog states and indexes). */
export async function subjectOf(kv: Deno.Kv, uid: string): Promise<Subject> {
  const peers = new Set<string>();
  for await (const e of kv.list({ prefix: keys.dialogs(uid) })) peers.add(e.key[2] as string);
  for await (const e of kv.list({ prefix: keys.unreads(uid) })) peers.add(e.key[2] as string);
  for await (const e of kv.list<string>({ prefix: keys.dialogsByTime(uid) })) peers.add(e.value);
  peers.delete(uid);
  return { uid, peers: [...peers].sort() };
}

/** Deletes per atomic; well under KV's 1,000 mutations and 800 KiB per commit. */
const DELETE_BATCH = 200;

function keyId(key: Deno.KvKey): string {
  return key.map((p) => `${typeof p}:${p instanceof Uint8Array ? [...p].join(".") : String(p)}`)
    .join("/");
}

/**
 * Deletes everything about `uid`: their profile, keys, sessions, every message of every dialog
 * they are in (both sides go: the peers' dialog entries, indexes and unread counters too), their
 * event log and the peers' events that mention them. The peers get a `reset` event so their open
 * widgets refetch. Returns how many keys went and who the peers were.
 */
export async function eraseUser(
  kv: Deno.Kv,
  uid: string,
): Promise<{ keys: number; peers: string[] }> {
  // First, so no session of theirs can write while the rest goes.
  await revokeSessions(kv, uid);
  // Contacts keep sorted indexes on both sides; their own eraser keeps those consistent.
  await forgetContacts(kv, uid);
  const subject = await subjectOf(kv, uid);
  const seen = new Set<string>();
  const doomed: Deno.KvKey[] = [];
  for (const family of FAMILIES) {
    for await (const e of family.find(kv, subject)) {
      const id = keyId(e.key);
      if (!seen.has(id)) {
        seen.add(id);
        doomed.push(e.key);
      }
    }
  }
  for (let i = 0; i < doomed.length; i += DELETE_BATCH) {
    const op = kv.atomic();
    for (const key of doomed.slice(i, i + DELETE_BATCH)) op.delete(key);
    const res = await op.commit();
    if (!res.ok) throw new Error("erase batch did not commit");
  }
  // Their dialogs vanished from the peers' lists: tell open widgets to refetch.
  await publish(
    kv,
    subject.peers.map((peer) => ({ uid: peer, type: "reset", data: { reason: "user_deleted" } })),
  );
  return { keys: doomed.length, peers: subject.peers };
}

/** Everything Parley holds about `uid` as one JSON object, one section per exported family. */
export async function exportUser(kv: Deno.Kv, uid: string): Promise<Record<string, unknown>> {
  const subject = await subjectOf(kv, uid);
  const out: Record<string, unknown> = {
    user_id: uid,
    exported_at: new Date().toISOString(),
    peers: subject.peers,
  };
  for (const family of FAMILIES) {
    if (!family.show) continue;
    const entries: Deno.KvEntry<unknown>[] = [];
    for await (const e of family.find(kv, subject)) entries.push(e);
    out[family.name] = family.show(entries);
  }
  return out;
}
