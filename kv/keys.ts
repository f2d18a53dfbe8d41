/**
 * Every Deno KV key shape Parley uses, and only here. Keys are tuples with a snake_case prefix.
 * A dialog between two users is addressed by its ordered pair (lo < hi), so both sides share one
 * message range; per-user views (dialog index, unread, events) are keyed by the viewing user.
 */
export type Pair = readonly [lo: string, hi: string];

/** The two members of a dialog in canonical order. */
export function pair(a: string, b: string): Pair {
  return a < b ? [a, b] : [b, a];
}

/**
 * The first part of every key under a user's own prefix (keys.own): a user's hot keys (dialog
 * sides and their indexes, unread counters, event log and its counter, admin index, rate counters,
 * and the messages of the dialogs where they are the lower member)
 * sort together, so a send dirties a few SQLite pages per user instead of one page per key family.
 * On this machine's disk that made a send's commit about a third cheaper (README, Performance).
 * Stores written before this layout are moved at start-up (kv/layout.ts).
 */
export const OWN = "u";

/**
 * A key as [family, ...parts]: a user's own key (["u", uid, family, ...rest]) read as
 * [family, uid, ...rest], the shape of every other family and of layout 1 (kv/layout.ts).
 */
export function familyFirst(key: Deno.KvKey): Deno.KvKey {
  return key[0] === OWN ? [key[2], key[1], ...key.slice(3)] : key;
}

/** `uid`'s key of family `family`: ["u", uid, family, ...rest]. */
function own<const R extends readonly Deno.KvKeyPart[]>(uid: string, family: string, ...rest: R) {
  return [OWN, uid, family, ...rest] as const;
}

export const keys = {
  /** Cached host profile (UserProfile) of a user; from URL_getUsersInfo (expires) or the manage API. */
  user: (uid: string) => ["user", uid] as const,
  /**
   * The host's last URL_getUsersHash answer for a user, cached briefly (CachedHash in
   * services/host/auth.ts: SHA-256 of the hash or null for none, when, when the host last failed).
   */
  hostHash: (uid: string) => ["host_hash", uid] as const,
  /**
   * Present for a short while after URL_getUsersInfo answered without this user (value: the time,
   * ms): profile reads and sign-ins do not ask the host about them again until it expires.
   */
  hostUnknown: (uid: string) => ["host_unknown", uid] as const,
  /** SHA-256 of a user_key registered by the manage API "log in" call; wins over other modes. */
  userKey: (uid: string) => ["user_key", uid] as const,

  /** Session (Session) behind a bearer token; expires with the token. */
  session: (token: string) => ["session", token] as const,
  /** Index of a user's live sessions, so a "log out" can revoke them all. Value: null. */
  userSession: (uid: string, token: string) => ["user_session", uid, token] as const,
  /** Prefix of a user's sessions. */
  userSessions: (uid: string) => ["user_session", uid] as const,
  /**
   * Counter (Deno.KvU64) bumped whenever a session of `uid` ends or their rights change, in the
   * atomic that rings the hosts holding their streams (kv/messaging/log_hosts.ts), which re-check.
   */
  sessionEpoch: (uid: string) => ["session_epoch", uid] as const,
  /** An admin sign-in code (AdminSignInCode) minted by the manage API; used once, short-lived. */
  adminSignInCode: (codeHash: string) => ["admin_signin_code", codeHash] as const,
  /** A role set through the manage API ("admin", "moderator" or "user"); overrides the env lists. */
  role: (uid: string) => ["role", uid] as const,
  /**
   * A moderator's leave to open one image (ImageGrant {until}), written by the complaint view that
   * shows its message (kv/moderation/image_grants.ts); expires after 30 minutes.
   */
  imageGrant: (uid: string, attachmentId: string) => ["img_grant", uid, attachmentId] as const,
  /** Prefix of a moderator's image grants (erased with the user). */
  imageGrants: (uid: string) => ["img_grant", uid] as const,

  /**
   * One message (Message) of the dialog `p`, ordered by ULID id so history pages backwards; under
   * the lower member's own prefix, beside that user's dialog side and log.
   */
  message: (p: Pair, id: string) => own(p[0], "msg", p[1], id),
  /** Prefix of all messages of a dialog. */
  messages: (p: Pair) => own(p[0], "msg", p[1]),
  /** Where a message lives, by id alone (MessageRef {lo, hi}): translate, admin delete, read. */
  messageRef: (id: string) => ["msg_ref", id] as const,

  /**
   * The id of the message `uid` sent under the widget's `client_id` (a retried send finds it and
   * is answered with that message instead of storing a second copy). Expires after a day.
   */
  sendId: (uid: string, clientId: string) => ["send_id", uid, clientId] as const,
  /** Prefix of `uid`'s client ids (erased with the user). */
  sendIds: (uid: string) => ["send_id", uid] as const,

  /** `uid`'s side of the dialog with `peer` (DialogState: last message, unread, read marker). */
  dialog: (uid: string, peer: string) => own(uid, "dlg", peer),
  /** Prefix of all of `uid`'s dialog states. */
  dialogs: (uid: string) => own(uid, "dlg"),
  /** `uid`'s dialogs ordered by last activity (the last message id sorts by time). Value: peer. */
  dialogByTime: (uid: string, lastId: string, peer: string) => own(uid, "dlg_time", lastId, peer),
  /** Prefix of `uid`'s activity index. */
  dialogsByTime: (uid: string) => own(uid, "dlg_time"),
  /** Present only while `uid` has unread messages from `peer`; value: the count. */
  unread: (uid: string, peer: string) => own(uid, "dlg_unread", peer),
  /** Prefix of `uid`'s unread counters (sums to the total without scanning every dialog). */
  unreads: (uid: string) => own(uid, "dlg_unread"),

  /**
   * The last event number of `uid`'s event log. Every append checks and bumps it in the same
   * atomic, so event ids are gap-free per user; a host registering for the log re-writes it
   * (keys.logHosts).
   */
  eventSeq: (uid: string) => own(uid, "ev_seq"),
  /** Event number `seq` of `uid`'s log (StoredEvent); expires after the replay window. */
  event: (uid: string, seq: number) => own(uid, "ev", seq),
  /** Prefix of `uid`'s event log. */
  events: (uid: string) => own(uid, "ev"),
  /**
   * Present only while `uid` is being erased (ErasureMarker, kv/privacy/erase.ts). It is written
   * in the same atomic as a re-write of keys.eventSeq(uid), so every event-writing atomic that
   * read the counter before it fails its check; readSeqs then sees the marker and refuses (410).
   * Writers that log no event for `uid` check this key's absence themselves.
   */
  erasing: (uid: string) => ["erasing", uid] as const,
  /** Prefix of all erasure markers (an interrupted erase is resumed from them). */
  erasings: () => ["erasing"] as const,
  /**
   * A dialog retention removed messages from whose sides are not yet recomputed. Value: null.
   * Written in the deleting atomic and removed after the repair, so a sweep that dies half-way
   * is finished by the next one (kv/privacy/retention.ts).
   */
  retentionRepair: (p: Pair) => ["retention_repair", p[0], p[1]] as const,
  /** Prefix of the dialogs waiting for their retention repair. */
  retentionRepairs: () => ["retention_repair"] as const,
  /** Status of the scheduled clean-up (MaintenanceStatus): last run, last error; manage API. */
  maintenanceStatus: () => ["maintenance_status"] as const,

  // --- Images, complaints, translation, rate limits (issue 4a) ---
  /** Metadata of a committed image (AttachmentRecord); ULID ids, so the prefix is a gallery. */
  attachment: (id: string) => ["att", id] as const,
  /** Prefix of all attachment records (admin gallery: list in reverse for newest first). */
  attachments: () => ["att"] as const,
  /** Part `n` (0-based, <= 60 KiB) of an image's bytes. */
  attachmentChunk: (id: string, n: number) => ["att_chunk", id, n] as const,
  /**
   * An image's small preview as its sender's browser drew it (kv/media/thumbnails.ts), written in
   * the message's atomic; one value (at most 60 KiB). Value: Uint8Array.
   */
  attachmentThumb: (id: string) => ["att_thumb", id] as const,
  /** Prefix of an image's parts, in order. */
  attachmentChunks: (id: string) => ["att_chunk", id] as const,
  /**
   * An upload whose parts are written but whose message is not (PendingUpload). The message's
   * atomic deletes it; if it outlives its `expires_at`, the sweep deletes it and its parts.
   */
  uploadPending: (id: string) => ["att_pending", id] as const,
  /** Prefix of all pending uploads, for the orphan sweep. */
  uploadsPending: () => ["att_pending"] as const,

  /** One complaint (Complaint) with its snapshot; ULID ids, so the prefix lists newest last. */
  complaint: (id: string) => ["complaint", id] as const,
  /** Prefix of all complaints (list in reverse for newest first). */
  complaints: () => ["complaint"] as const,
  /** Index of complaints by status (open, resolved, dismissed). Value: null. */
  complaintByStatus: (status: string, id: string) => ["complaint_status", status, id] as const,
  /** Prefix of one status's index (list in reverse for newest first). */
  complaintsByStatus: (status: string) => ["complaint_status", status] as const,
  /** Present while `reporter` has an open complaint about `target` (and message); value: its id. */
  openComplaint: (reporter: string, target: string, messageId: string | null) =>
    ["complaint_open", reporter, target, messageId ?? ""] as const,

  /** Cached translation (CachedTranslation) of a message into `lang`; expires. */
  translation: (messageId: string, lang: string) => ["translation", messageId, lang] as const,
  /** Prefix of a message's cached translations (delete them with the message). */
  translations: (messageId: string) => ["translation", messageId] as const,

  /**
   * Requests of `uid` (for sign-in also a client address) against limit `bucket` in the fixed
   * window starting at `windowStart` ms. The "messages" bucket is written by sendMessage alone,
   * unchecked: it rides on the sender's event counter (kv/messaging/messages.ts), so nothing else
   * may count into it.
   */
  rateCounter: (bucket: string, uid: string, windowStart: number) =>
    own(uid, "rate", bucket, windowStart),
  // Webhooks (issue 7: management API and webhooks).
  /**
   * Delivery log of one webhook event (DeliveryLog: type, state, its last attempts with status);
   * holds no user data. Expires after a week; the manage API lists it newest first.
   */
  webhookLog: (eventId: string) => ["webhook_log", eventId] as const,
  /** Prefix of the webhook delivery log. */
  webhookLogs: () => ["webhook_log"] as const,
  /**
   * A webhook event waiting for delivery when KV queues are unavailable (OutboxItem), ordered by
   * the time it is due; the in-process loop claims, delivers, and deletes or reschedules it.
   */
  webhookOutbox: (due: number, eventId: string) => ["webhook_outbox", due, eventId] as const,
  /** Prefix of the webhook outbox. */
  webhookOutboxAll: () => ["webhook_outbox"] as const,
  // --- Admin (issue 6): indexes for the admin views, moderation, audit ---
  // Every index below is written in sendMessage's atomic (kv/moderation/message_index.ts) and removed in the
  // same atomic that deletes a message (kv/moderation/actions.ts). Index values are IndexRef {lo, hi, att?}
  // so a page of ids resolves to message records with one getMany per ten.
  /** Global feed of every message, ordered by ULID id (newest last). Value: IndexRef. */
  adminFeed: (id: string) => ["adm_feed", id] as const,
  /** Prefix of the global feed. */
  adminFeedAll: () => ["adm_feed"] as const,
  /** `uid`'s messages, sent AND received, by id (each message is under both users). IndexRef. */
  adminUserMessage: (uid: string, id: string) => own(uid, "adm_user", id),
  /** Prefix of one user's messages. */
  adminUserMessages: (uid: string) => own(uid, "adm_user"),
  /** Messages that carry an attachment (the gallery), by id. Value: IndexRef. */
  adminAttachment: (id: string) => ["adm_att", id] as const,
  /** Prefix of the attachments index. */
  adminAttachments: () => ["adm_att"] as const,
  /** A moderator's note about a user (UserNote), ULID ids so the prefix lists oldest first. */
  adminNote: (uid: string, id: string) => ["adm_note", uid, id] as const,
  /** Prefix of the notes about one user. */
  adminNotes: (uid: string) => ["adm_note", uid] as const,
  /**
   * Every user who sent or received a message (user search). Value: the id of a message they
   * were in (the first of their newest dialog; kv/moderation/message_index.ts).
   */
  adminSeenUser: (uid: string) => ["adm_seen", uid] as const,
  /**
   * A user's latest SENT message id, to the minute ("last active" on the admin page: receiving is
   * not activity). Value: the id of their first message in that minute.
   */
  adminSentBy: (uid: string) => ["adm_sent", uid] as const,
  /** Prefix of the seen-users index. */
  adminSeenUsers: () => ["adm_seen"] as const,
  /**
   * One entry per dialog, keyed by its last message id (so by time). Value: null. Counting
   * "dialogs active since T" is a range scan from ulidFloor(T); see kv/moderation/stats.ts.
   */
  pairActivity: (lastId: string, p: Pair) => ["adm_pair_time", lastId, p[0], p[1]] as const,
  /** Prefix of the whole pair activity index (an erase scans it for the user's dialogs). */
  pairActivities: () => ["adm_pair_time"] as const,
  /** Start/end bound of the pair activity index at a given id. */
  pairActivityAt: (id: string) => ["adm_pair_time", id] as const,
  /**
   * Hourly counters (Deno.KvU64, atomic sums, never checked): "in" counts dialogs whose last
   * activity moved INTO hour `hour` (ms / 3,600,000), "out" those that moved away. in - out is
   * the number of dialogs whose latest message is in that hour.
   */
  activityBucket: (hour: number, dir: "in" | "out") => ["adm_act", hour, dir] as const,
  /** Start bound of the hourly counters at `hour`. */
  activityBucketsFrom: (hour: number) => ["adm_act", hour] as const,
  /** Prefix of the hourly counters. */
  activityBuckets: () => ["adm_act"] as const,
  /** Prefix of the cached profiles keys.user(uid) (admin user search scans it). */
  users: () => ["user"] as const,
  /** A ban (Ban: by, at, reason): the user may read but not send. Absent when not banned. */
  ban: (uid: string) => ["ban", uid] as const,
  /** Prefix of all bans. */
  bans: () => ["ban"] as const,
  /** One admin action (AuditRow), by ULID id so the log pages newest first. */
  audit: (id: string) => ["adm_audit", id] as const,
  /** Prefix of the audit log. */
  audits: () => ["adm_audit"] as const,
  // Favourites, blocks and the contact list (kv/people/relations.ts, kv/people/contact_index.ts).
  /**
   * `uid`'s relation to `peer` (ContactRecord: favourite, blocked, has a dialog, folded name);
   * present while `peer` is in any of `uid`'s contact tabs. The send-time block check reads it.
   */
  contact: (uid: string, peer: string) => ["contact", uid, peer] as const,
  /** Prefix of all of `uid`'s contact records. */
  contacts: (uid: string) => ["contact", uid] as const,
  /** `uid`'s contacts in one tab (all | favourites | blocked), sorted by folded name, then id. */
  contactIndex: (uid: string, tab: string, sort: string, peer: string) =>
    ["contact_idx", uid, tab, sort, peer] as const,
  /** Prefix of one of `uid`'s contact tabs. */
  contactTab: (uid: string, tab: string) => ["contact_idx", uid, tab] as const,
  /** Prefix of all of `uid`'s contact tab indexes. */
  contactTabs: (uid: string) => ["contact_idx", uid] as const,
  /** Reverse index: `owner` has `peer` as a contact, so a rename of `peer` finds every owner. */
  contactOf: (peer: string, owner: string) => ["contact_of", peer, owner] as const,
  /** Prefix of everyone who has `peer` as a contact. */
  contactOwners: (peer: string) => ["contact_of", peer] as const,
  /** Newest dialog activity (a message id) already folded into `uid`'s contacts. */
  contactSync: (uid: string) => ["contact_sync", uid] as const,

  // Presence and typing (kv/people/presence.ts, kv/messaging/typing.ts).
  /**
   * `uid`'s open event streams, the host holding each, and last-seen time (PresenceRecord).
   * Online is decided from the hosts' leases and the timestamps inside, never from expireIn
   * (which deletes lazily).
   */
  presence: (uid: string) => ["presence", uid] as const,
  /**
   * A process's presence lease (HostLease {at}), renewed every 20 s while it holds streams; the
   * streams a presence record puts on that host are alive while it is fresh
   * (kv/people/presence_hosts.ts). Expires a day after its last renewal.
   */
  presenceHost: (hostId: string) => ["presence_host", hostId] as const,
  /**
   * The hosts (processes) other than the writer's that hold an event stream of log `logId` (a
   * user's, or the admin log), as string[]: an event writer rings each of them
   * (kv/messaging/log_hosts.ts). Registering a host re-writes keys.eventSeq(logId), so a writer that
   * read the list before fails its check and reads it again. Deleted when the last host leaves.
   */
  logHosts: (logId: string) => ["log_hosts", logId] as const,
  /**
   * A host's doorbell (a ULID), set with every inbox entry for it; the host kv.watches this one
   * key instead of every log it streams. Expires a day after its last ring.
   */
  hostWake: (hostId: string) => ["host_wake", hostId] as const,
  /**
   * One ring for host `hostId` (HostRing {logs, revoked}): logs that grew and users whose
   * sessions or rights changed. The host deletes it once read; a dead host's expire in 10 minutes.
   */
  hostRing: (hostId: string, id: string) => ["host_ring", hostId, id] as const,
  /** Prefix of a host's rings. */
  hostRings: (hostId: string) => ["host_ring", hostId] as const,
  /**
   * When `from` last told `to` they are typing (ms); throttles repeats. Expires with the event
   * log's replay window: while it exists, `to`'s log may hold a typing event from `from`.
   */
  typing: (from: string, to: string) => ["typing", from, to] as const,
  /** Prefix of `from`'s typing throttle keys (whom they typed to). */
  typingFrom: (from: string) => ["typing", from] as const,
  /** Prefix of every typing throttle key (an erase finds who typed to the user). */
  typingAll: () => ["typing"] as const,

  // Imports from the original Star.Comet-Chat (services/migration/, kv/messaging/import_batch.ts).
  /**
   * How far the import of table `table` from `source` has got (ImportCheckpoint: the last
   * original row id written, or the last key of a table without one); holds no user data. Written
   * in the atomic that ends each page, so a stopped import continues after it.
   */
  importCheckpoint: (source: string, table: string) =>
    ["import_checkpoint", source, table] as const,

  // The store's key layout (kv/layout.ts).
  /** Which key layout the store is in (LayoutMark {version, at}); absent before layout 2. */
  layout: () => ["layout"] as const,
  /**
   * The process moving the store to the current layout (Lease {holder, until}); every page of the
   * move checks and renews it, and the last one deletes it.
   */
  layoutLease: () => ["layout_lease"] as const,

  // Tickets (kv/people/tickets.ts).
  /**
   * A short-lived, single-purpose stand-in for a session token in a URL (Ticket: purpose, the
   * session's token, its user, expiry). Read by the routes a browser cannot send a header to.
   */
  ticket: (ticket: string) => ["ticket", ticket] as const,
} as const;

/**
 * The admin event log (live monitor) reuses the per-user event log keys under this reserved id:
 * keys.eventSeq(ADMIN_LOG) / keys.event(ADMIN_LOG, n). It cannot collide with a user, since
 * user ids never contain "@", and the same SSE code (services/realtime/log_stream.ts) replays it.
 */
export const ADMIN_LOG = "@admin";
