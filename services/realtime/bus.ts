import { keys } from "../../kv/keys.ts";
import { getSession } from "../../kv/people/sessions.ts";
import type { Session } from "../../kv/types.ts";
import { SessionCache } from "./session_cache.ts";
import { WatchGroups } from "./watch_groups.ts";

/** Names revocation listeners apart from event logs (a user id never starts with a space). */
const REVOKED = " revoked:";
import type { StoredEvent } from "../../kv/types.ts";

/** Why a stream is woken. A wake with neither field says only "the log may have grown". */
export interface Wake {
  /** From kv.watch: the log's head as it saw it; null when it found none (a new or erased log). */
  head?: number | null;
  /**
   * From a commit of this process: the events it just appended to this log, in order. A stream
   * right behind the first of them writes them without reading the log back; any other stream
   * reads the log as usual (the log stays the source of truth).
   */
  events?: StoredEvent[];
}

type Listener = (wake: Wake) => void;

/**
 * Wakes SSE streams when a user's event log grows. A woken stream re-reads the log from its
 * cursor, so a coalesced or duplicated signal never loses or repeats an event; only a local
 * commit's own events may be handed over directly, and only to a stream right behind them.
 * Sources: a direct call after a local commit (fastest), BroadcastChannel (other workers of this
 * process), and kv.watch on the log heads of users with listeners, ten users per watch
 * (services/realtime/watch_groups.ts; writes from other isolates or instances).
 */
export class EventBus {
  #subs = new Map<string, Set<Listener>>();
  #channel: BroadcastChannel | null = null;
  #onClose = new Set<() => void>();
  #watches: WatchGroups;
  #sessions = new SessionCache();

  /** `channelName` null: no BroadcastChannel (act like Deno Deploy's isolated instances). */
  constructor(kv: Deno.Kv, channelName: string | null = "parley-events") {
    // No head (a new or erased log) says nothing about how far it got: wake to look.
    this.#watches = new WatchGroups(kv, (name, head) => {
      this.#fire(name, { head: typeof head === "number" ? head : null });
    });
    if (channelName !== null && typeof BroadcastChannel !== "undefined") {
      this.#channel = new BroadcastChannel(channelName);
      this.#channel.onmessage = (e: MessageEvent<string[]>) => {
        if (Array.isArray(e.data)) { for (const uid of e.data) this.#fire(uid, {}); }
      };
    }
  }

  /**
   * Calls `fn` whenever `uid`'s log may have changed; returns the unsubscribe function. A local
   * commit usually wakes a stream twice (notify, then the watch): the watch passes the head so a
   * stream already past it can skip the re-read.
   */
  subscribe(uid: string, fn: Listener): () => void {
    return this.#listen(uid, keys.eventSeq(uid), fn);
  }

  /**
   * Calls `fn` whenever a session of `uid` may have ended or their rights changed (the session
   * epoch, kv/people/sessions.ts): their open streams re-check at once instead of at a heartbeat.
   */
  subscribeRevocations(uid: string, fn: () => void): () => void {
    return this.#listen(REVOKED + uid, keys.sessionEpoch(uid), () => fn());
  }

  #listen(name: string, key: Deno.KvKey, fn: Listener): () => void {
    let listeners = this.#subs.get(name);
    if (!listeners) {
      this.#subs.set(name, listeners = new Set());
      this.#watches.add(name, key);
    }
    listeners.add(fn);
    return () => {
      const ls = this.#subs.get(name);
      if (!ls) return;
      ls.delete(fn);
      if (ls.size === 0) {
        this.#subs.delete(name);
        this.#watches.remove(name);
        // Nothing watches this user's revocations any more: their sessions are read from KV.
        if (name.startsWith(REVOKED)) this.#sessions.drop(name.slice(REVOKED.length));
      }
    };
  }

  /**
   * Signals that these users' logs grew (call after a local commit); `appended` may carry the
   * events the commit wrote, per user, so this process's streams need not read them back.
   */
  notify(uids: string[], appended?: ReadonlyMap<string, StoredEvent[]>) {
    for (const uid of uids) this.#fire(uid, { events: appended?.get(uid) });
    this.#channel?.postMessage(uids);
  }

  /** Signals that a session of `uid` ended or their rights changed (after bumping the epoch). */
  revoked(uid: string) {
    this.notify([REVOKED + uid]);
  }

  /**
   * The live session behind `token` (getSession), from memory while its user has a stream open
   * here: their revocations wake this bus, which then forgets their sessions
   * (services/realtime/session_cache.ts).
   */
  async session(kv: Deno.Kv, token: string): Promise<Session | null> {
    const hit = this.#sessions.get(token);
    if (hit) return hit;
    const generation = this.#sessions.generation;
    const s = await getSession(kv, token);
    if (s && this.#subs.has(REVOKED + s.user_id)) this.#sessions.put(token, s, generation);
    return s;
  }

  /** How many users have at least one local listener (streams open on this instance). */
  get watchedUsers(): number {
    return [...this.#subs.keys()].filter((k) => !k.startsWith(REVOKED)).length;
  }

  #fire(uid: string, wake: Wake) {
    if (uid.startsWith(REVOKED)) this.#sessions.drop(uid.slice(REVOKED.length));
    const listeners = this.#subs.get(uid);
    if (listeners) { for (const l of listeners) l(wake); }
  }

  /** Registers a call for when the bus closes (open streams end); returns the unregister. */
  onClose(fn: () => void): () => void {
    this.#onClose.add(fn);
    return () => this.#onClose.delete(fn);
  }

  close() {
    for (const fn of [...this.#onClose]) fn();
    this.#onClose.clear();
    this.#watches.close();
    this.#subs.clear();
    this.#sessions.clear();
    this.#channel?.close();
    this.#channel = null;
  }
}
