import { keys } from "../../kv/keys.ts";

/** Names revocation listeners apart from event logs (a user id never starts with a space). */
const REVOKED = " revoked:";

/** Woken with the log's new head when known (kv.watch), or with nothing (a local notify, or a
 * watch that found no head). */
type Listener = (head?: number) => void;

/**
 * Wakes SSE streams when a user's event log grows. It carries no data: a woken stream re-reads
 * the log from its cursor, so a coalesced or duplicated signal never loses or repeats an event.
 * Sources: a direct call after a local commit (fastest), BroadcastChannel (other workers of this
 * process), and one kv.watch per user with listeners (writes from other isolates or instances).
 */
export class EventBus {
  #subs = new Map<string, { listeners: Set<Listener>; stop: () => void }>();
  #channel: BroadcastChannel | null = null;
  #onClose = new Set<() => void>();

  constructor(private kv: Deno.Kv, channelName = "parley-events") {
    if (typeof BroadcastChannel !== "undefined") {
      this.#channel = new BroadcastChannel(channelName);
      this.#channel.onmessage = (e: MessageEvent<string[]>) => {
        if (Array.isArray(e.data)) { for (const uid of e.data) this.#fire(uid); }
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
    let sub = this.#subs.get(name);
    if (!sub) {
      const reader = this.kv.watch<[number]>([key]).getReader();
      sub = { listeners: new Set(), stop: () => reader.cancel().catch(() => {}) };
      this.#subs.set(name, sub);
      const listeners = sub.listeners;
      (async () => {
        try {
          while (true) {
            const { done, value } = await reader.read();
            if (done) break;
            // No head (a new or erased log) says nothing about how far it got: wake to look.
            const head = value[0].value ?? undefined;
            for (const l of listeners) l(typeof head === "number" ? head : undefined);
          }
        } catch {
          // The watch ends when cancelled or when KV closes; nothing to do.
        }
      })();
    }
    sub.listeners.add(fn);
    return () => {
      const s = this.#subs.get(name);
      if (!s) return;
      s.listeners.delete(fn);
      if (s.listeners.size === 0) {
        this.#subs.delete(name);
        s.stop();
      }
    };
  }

  /** Signals that these users' logs grew (call after a local commit). */
  notify(uids: string[]) {
    for (const uid of uids) this.#fire(uid);
    this.#channel?.postMessage(uids);
  }

  /** Signals that a session of `uid` ended or their rights changed (after bumping the epoch). */
  revoked(uid: string) {
    this.notify([REVOKED + uid]);
  }

  /** How many users have at least one local listener (streams open on this instance). */
  get watchedUsers(): number {
    return [...this.#subs.keys()].filter((k) => !k.startsWith(REVOKED)).length;
  }

  #fire(uid: string) {
    const sub = this.#subs.get(uid);
    if (sub) { for (const l of sub.listeners) l(); }
  }

  /** Registers a call for when the bus closes (open streams end); returns the unregister. */
  onClose(fn: () => void): () => void {
    this.#onClose.add(fn);
    return () => this.#onClose.delete(fn);
  }

  close() {
    for (const fn of [...this.#onClose]) fn();
    this.#onClose.clear();
    for (const s of this.#subs.values()) s.stop();
    this.#subs.clear();
    this.#channel?.close();
    this.#channel = null;
  }
}
