import { onAppended } from "../../kv/after_commit.ts";
import {
  dropRings,
  joinLog,
  leaveLog,
  readRings,
  RING_PAGE,
} from "../../kv/messaging/log_hosts.ts";
import { keys } from "../../kv/keys.ts";
import { hostId } from "../../kv/people/presence_hosts.ts";
import { getSession } from "../../kv/people/sessions.ts";
import { log } from "../core/log.ts";
import type { Session, StoredEvent } from "../../kv/types.ts";
import { SessionCache } from "./session_cache.ts";

/** Names revocation listeners apart from event logs (a user id never starts with a space). */
const REVOKED = " revoked:";
/** How long this host stays on a log's list after its last stream of it closed (reloads). */
const LEAVE_AFTER_MS = 30_000;

/** Why a stream is woken. A wake without events says only "the log may have grown". */
export interface Wake {
  /**
   * From a commit of this process: the events it just appended to this log, in order. A stream
   * right behind the first of them writes them without reading the log back; any other stream
   * reads the log as usual (the log stays the source of truth).
   */
  events?: StoredEvent[];
}

/**
 * An open stream as the bus sees it (services/realtime/log_stream.ts): one object with methods,
 * not a closure per subscription, since 5,000 idle streams are 5,000 of each for every GC to mark.
 */
export interface StreamListener {
  /** Its log may have grown. */
  wake(wake: Wake): void;
  /** A session of its owner may have ended, or their rights changed: re-check now. */
  revoked(): void;
  /** The bus is closing (the server shuts down): end the stream; its client reconnects. */
  shutdown(): void;
}

/** This host's standing on one log's host list (kv/messaging/log_hosts.ts). */
interface Membership {
  /** Listener names (the log's, its owner's revocations) with listeners here. */
  names: number;
  state: "idle" | "joining" | "joined" | "leaving";
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Wakes SSE streams when a user's event log grows. A woken stream re-reads the log from its
 * cursor, so a coalesced or duplicated signal never loses or repeats an event; only a local
 * commit's own events may be handed over directly, and only to a stream right behind them.
 * Sources: a direct call after a local commit (fastest), and the rings other hosts (workers of this
 * process, isolates, instances) add to their writes: this host joins the host list of every log it
 * streams and kv.watches its one doorbell (kv/messaging/log_hosts.ts), so neither its own writes
 * nor idle logs cost it any watch work. No BroadcastChannel: the rings reach other workers anyway,
 * and a post per notify cost every send a structured clone that no one needed.
 */
export class EventBus {
  /** Listeners by name: a log id, or REVOKED + a user id for that user's revocations. */
  #subs = new Map<string, Set<StreamListener>>();
  /** Every attached stream, ended when the bus closes. */
  #attached = new Set<StreamListener>();
  #sessions = new SessionCache();
  #members = new Map<string, Membership>();
  #doorbell: ReadableStreamDefaultReader<unknown> | null = null;
  #draining = false;
  #drainAgain = false;
  #closed = false;

  constructor(private kv: Deno.Kv) {
    // Every committed event append of this process (kv/after_commit.ts) wakes its streams.
    onAppended(kv, (events) => this.notify([...events.keys()], events));
  }

  /**
   * Wakes `s` whenever log `logId` may have changed, re-checks it on revocations of `owner`'s
   * sessions (kv/people/sessions.ts) instead of at a heartbeat, and ends it when the bus closes,
   * until detach. The first stream of a log here also hears one wake once this host has joined
   * the log's host list: from then on other hosts' writes ring it, and what they wrote before is
   * in the log it reads.
   */
  attach(logId: string, owner: string, s: StreamListener): void {
    this.#attached.add(s);
    this.#listen(logId, logId, s);
    this.#listen(REVOKED + owner, owner, s);
  }

  /** Undoes attach (harmless when already detached). */
  detach(logId: string, owner: string, s: StreamListener): void {
    if (!this.#attached.delete(s)) return;
    this.#unlisten(logId, logId, s);
    this.#unlisten(REVOKED + owner, owner, s);
  }

  #listen(name: string, logId: string, s: StreamListener) {
    let listeners = this.#subs.get(name);
    if (!listeners) {
      this.#subs.set(name, listeners = new Set());
      this.#member(logId, +1);
    }
    listeners.add(s);
  }

  #unlisten(name: string, logId: string, s: StreamListener) {
    const ls = this.#subs.get(name);
    if (!ls?.delete(s) || ls.size > 0) return;
    this.#subs.delete(name);
    this.#member(logId, -1);
    // Nothing hears this user's revocations any more: their sessions are read from KV.
    if (name.startsWith(REVOKED)) this.#sessions.drop(logId);
  }

  /** A listener name of `logId` came (+1) or went (-1): join its host list, or leave it later. */
  #member(logId: string, delta: number) {
    let m = this.#members.get(logId);
    if (!m) this.#members.set(logId, m = { names: 0, state: "idle", timer: null });
    m.names += delta;
    if (m.timer) clearTimeout(m.timer);
    m.timer = null;
    if (m.names > 0 && m.state === "idle") this.#join(logId, m);
    else if (m.names === 0 && m.state === "joined") this.#leaveLater(logId, m);
  }

  #join(logId: string, m: Membership) {
    m.state = "joining";
    this.#ringable();
    joinLog(this.kv, logId).then(() => {
      m.state = "joined";
      // What other hosts wrote before the join is in the log: streams read it, and re-check
      // their sessions against revocations that rang before.
      this.#fire(logId, {});
      this.#fire(REVOKED + logId, {});
      if (m.names === 0) this.#leaveLater(logId, m);
    }, (e) => {
      m.state = "idle";
      if (this.#closed) return;
      log.warn("joining a log's host list failed", { reason: String(e) });
      if (m.names > 0) Deno.unrefTimer(m.timer = setTimeout(() => this.#member(logId, 0), 1000));
    });
  }

  #leaveLater(logId: string, m: Membership) {
    m.timer = setTimeout(() => {
      m.timer = null;
      if (m.names > 0 || this.#closed) return;
      m.state = "leaving";
      leaveLog(this.kv, logId, () => m.names > 0).catch(() => {}).finally(() => {
        m.state = "idle";
        if (m.names > 0 && !this.#closed) this.#join(logId, m);
        else if (this.#members.get(logId) === m) this.#members.delete(logId);
      });
    }, LEAVE_AFTER_MS);
    Deno.unrefTimer(m.timer);
  }

  /** Starts watching this host's doorbell (once): each change reads and handles its rings. */
  #ringable() {
    if (this.#doorbell || this.#closed) return;
    const reader = this.kv.watch([keys.hostWake(hostId(this.kv))]).getReader();
    this.#doorbell = reader;
    (async () => {
      try {
        // The first value is the doorbell as it is now: rings left from before are read too.
        while (!(await reader.read()).done) this.#drainRings();
      } catch {
        // The watch ends when cancelled or when KV closes.
      }
    })();
  }

  async #drainRings() {
    if (this.#draining) {
      this.#drainAgain = true;
      return;
    }
    this.#draining = true;
    try {
      do {
        this.#drainAgain = false;
        const rings = await readRings(this.kv);
        for (const { ring } of rings) {
          for (const uid of ring.logs ?? []) this.#fire(uid, {});
          for (const uid of ring.revoked ?? []) this.#fire(REVOKED + uid, {});
        }
        await dropRings(this.kv, rings.map((r) => r.key));
        if (rings.length >= RING_PAGE) this.#drainAgain = true;
      } while (this.#drainAgain && !this.#closed);
    } catch (e) {
      if (!this.#closed) log.warn("reading this host's rings failed", { reason: String(e) });
    } finally {
      this.#draining = false;
    }
  }

  /**
   * Signals that these users' logs grew: every committed event append of this process calls it
   * (kv/after_commit.ts); `appended` carries the events the commit wrote, per user, so this
   * process's streams need not read them back.
   */
  notify(uids: string[], appended?: ReadonlyMap<string, StoredEvent[]>) {
    for (const uid of uids) this.#fire(uid, { events: appended?.get(uid) });
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
    // Cached only while every host that may revoke it rings this one.
    const joined = s && this.#members.get(s.user_id)?.state === "joined";
    if (s && joined && this.#subs.has(REVOKED + s.user_id)) {
      this.#sessions.put(token, s, generation);
    }
    return s;
  }

  /** How many users have at least one local listener (streams open on this instance). */
  get watchedUsers(): number {
    return [...this.#subs.keys()].filter((k) => !k.startsWith(REVOKED)).length;
  }

  #fire(name: string, wake: Wake) {
    const revoked = name.startsWith(REVOKED);
    if (revoked) this.#sessions.drop(name.slice(REVOKED.length));
    const listeners = this.#subs.get(name);
    if (!listeners) return;
    for (const l of listeners) revoked ? l.revoked() : l.wake(wake);
  }

  close() {
    for (const s of [...this.#attached]) s.shutdown();
    this.#attached.clear();
    this.#closed = true;
    onAppended(this.kv, null);
    this.#doorbell?.cancel().catch(() => {});
    this.#doorbell = null;
    for (const m of this.#members.values()) if (m.timer) clearTimeout(m.timer);
    this.#members.clear();
    this.#subs.clear();
    this.#sessions.clear();
  }
}
