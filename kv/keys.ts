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

export const keys = {
  /** Cached host profile (UserProfile) of a user; from URL_getUsersInfo (expires) or the manage API. */
  user: (uid: string) => ["user", uid] as const,
  /** SHA-256 of the user's hash from URL_getUsersHash, cached briefly ({hash, at}). */
  hostHash: (uid: string) => ["host_hash", uid] as const,
  /** SHA-256 of a user_key registered by the manage API "log in" call; wins over other modes. */
  userKey: (uid: string) => ["user_key", uid] as const,

  /** Session (Session) behind a bearer token; expires with the token. */
  session: (token: string) => ["session", token] as const,
  /** Index of a user's live sessions, so a "log out" can revoke them all. Value: null. */
  userSession: (uid: string, token: string) => ["user_session", uid, token] as const,
  /** Prefix of a user's sessions. */
  userSessions: (uid: string) => ["user_session", uid] as const,

  /** One message (Message) of the dialog `p`, ordered by ULID id so history pages backwards. */
  message: (p: Pair, id: string) => ["msg", p[0], p[1], id] as const,
  /** Prefix of all messages of a dialog. */
  messages: (p: Pair) => ["msg", p[0], p[1]] as const,
  /** Where a message lives, by id alone (MessageRef {lo, hi}): translate, admin delete, read. */
  messageRef: (id: string) => ["msg_ref", id] as const,

  /** `uid`'s side of the dialog with `peer` (DialogState: last message, unread, read marker). */
  dialog: (uid: string, peer: string) => ["dlg", uid, peer] as const,
  /** Prefix of all of `uid`'s dialog states. */
  dialogs: (uid: string) => ["dlg", uid] as const,
  /** `uid`'s dialogs ordered by last activity (the last message id sorts by time). Value: peer. */
  dialogByTime: (uid: string, lastId: string, peer: string) =>
    ["dlg_time", uid, lastId, peer] as const,
  /** Prefix of `uid`'s activity index. */
  dialogsByTime: (uid: string) => ["dlg_time", uid] as const,
  /** Present only while `uid` has unread messages from `peer`; value: the count. */
  unread: (uid: string, peer: string) => ["dlg_unread", uid, peer] as const,
  /** Prefix of `uid`'s unread counters (sums to the total without scanning every dialog). */
  unreads: (uid: string) => ["dlg_unread", uid] as const,

  /**
   * The last event number of `uid`'s event log. Every append checks and bumps it in the same
   * atomic, so event ids are gap-free per user; SSE streams kv.watch this key as their wake-up.
   */
  eventSeq: (uid: string) => ["ev_seq", uid] as const,
  /** Event number `seq` of `uid`'s log (StoredEvent); expires after the replay window. */
  event: (uid: string, seq: number) => ["ev", uid, seq] as const,
  /** Prefix of `uid`'s event log. */
  events: (uid: string) => ["ev", uid] as const,

  // Favourites, blocks and the contact list (kv/contacts.ts, kv/contact_index.ts).
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

  // Presence and typing (kv/presence.ts, kv/typing.ts).
  /**
   * `uid`'s open event streams and last-seen time (PresenceRecord). Online is decided from the
   * heartbeat timestamps inside, never from expireIn (which deletes lazily).
   */
  presence: (uid: string) => ["presence", uid] as const,
  /** When `from` last told `to` they are typing (ms); throttles repeats, expires in seconds. */
  typing: (from: string, to: string) => ["typing", from, to] as const,
} as const;
