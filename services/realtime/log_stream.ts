/**
 * A KV event log (a user's, or the admin log) as a Server-Sent Events stream: replay after a
 * cursor, then live as the bus wakes it. Shared by the user and admin event routes.
 */
import { currentSeq, eventsAfter } from "../../kv/messaging/events.ts";
import { STREAM_CLOSED, trackStream } from "../../kv/people/presence.ts";
import { getSession } from "../../kv/people/sessions.ts";
import type { Session, StoredEvent } from "../../kv/types.ts";
import type { Deps } from "../core/context.ts";
import type { Wake } from "./bus.ts";
import { startBeat, stopBeat } from "./heartbeat.ts";

const enc = new TextEncoder();
/** The heartbeat comment, encoded once and written to every stream. */
const PING = enc.encode(": ping\n\n");

/** One SSE frame; `data` is JSON on a single line. */
export function frame(e: { seq?: number; type: string; data: unknown }): string {
  return `${e.seq !== undefined ? `id: ${e.seq}\n` : ""}event: ${e.type}\ndata: ${
    JSON.stringify(e.data)
  }\n\n`;
}

export interface LogStreamOptions {
  /** Merged into the first `ready` frame's data. */
  readyData: Record<string, unknown>;
  /** The session behind the stream: once revoked (log-out, delete) the stream ends. */
  token: string;
  /** That session as the request's check just read it (else it is read here). */
  session?: Session;
  /** Whose session it is: a revocation of theirs (kv/people/sessions.ts) re-checks at once. */
  owner: string;
  /** Rights beyond a live session (the admin log: still an admin), re-checked with it. */
  allowed?: () => Promise<boolean>;
  /** Which events this stream passes on (a moderator's admin log: no private messages). */
  only?: (e: StoredEvent) => boolean;
  /** Whose presence this stream keeps alive (user streams; the admin log counts for nobody). */
  presenceOf?: string;
}

/**
 * Streams the event log `logId` (a user's, or the admin log) as Server-Sent Events. Without a
 * cursor the stream starts at the log's end; with one it first replays everything after it. The
 * first frame is `ready` carrying the cursor as its id, so a browser that reconnects before any
 * event arrived still resumes from the right place. A heartbeat comment goes out every
 * cfg.heartbeatMs so proxies keep idle streams open.
 */
export async function logStream(
  deps: Deps,
  logId: string,
  asked: number | undefined,
  opts: LogStreamOptions,
): Promise<Response> {
  const { kv } = deps;
  // A reopened stream costs one read here: the session comes from the request's own check.
  const [head, session] = await Promise.all([
    currentSeq(kv, logId),
    opts.session ?? getSession(kv, opts.token),
  ]);
  // A cursor from the future (a log that started again after its user was erased, a reset store,
  // a forged id) would stall the stream: clamp it, and tell the client its state is stale.
  const future = asked !== undefined && asked > head;
  const cursor = asked === undefined || asked > head ? head : asked;
  const source = new LogStream(deps, logId, opts, cursor, future, session?.expires_at ?? 0);
  return new Response(new ReadableStream<Uint8Array>(source), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

/**
 * One open stream: the ReadableStream's source, the bus's listener, the heartbeat's beater and
 * presence's evictable, all in one object. Thousands of these sit idle at once, and every major
 * GC marks all of them: as closures they were some twenty functions and their contexts each.
 * Only start and cancel are the source's (a method named pull would be taken for one).
 */
class LogStream {
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #closed = false;
  #pulling = false;
  /** Woken by a local notify, which does not say how far the log got. */
  #dirty = false;
  /** The newest event a wake handed over that could not be written at once. */
  #target: number;
  #presence: ReturnType<typeof trackStream> | undefined;

  constructor(
    readonly deps: Deps,
    readonly logId: string,
    readonly opts: LogStreamOptions,
    /** The last event written (or the position the stream started at). */
    public cursor: number,
    readonly future: boolean,
    /** The session's expiry, known from the start. */
    readonly expiresAt: number,
  ) {
    this.#target = cursor;
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#controller = controller;
    const { deps, opts } = this;
    this.#write(`retry: 2000\n`);
    if (this.future) this.#write(frame({ type: "reset", data: { reason: "cursor_ahead_of_log" } }));
    const cursor = this.cursor;
    this.#write(frame({ seq: cursor, type: "ready", data: { ...opts.readyData, cursor } }));
    // Local commits hand over their events, other hosts ring, revocations re-check the session,
    // and the server shutting down ends the stream (clients reconnect elsewhere with their cursor).
    deps.bus.attach(this.logId, opts.owner, this);
    // Presence: a hello now and a goodbye at the end; the host's lease covers the time between.
    if (opts.presenceOf) this.#presence = trackStream(deps, opts.presenceOf, this);
    // One shared timer beats every stream (services/realtime/heartbeat.ts): streams opened
    // together (a server restart, a bench) are spread over the interval, not beating together.
    startBeat(deps.cfg.heartbeatMs, this);
    this.#catchUp();
  }

  cancel() {
    this.#stop();
  }

  /** Heartbeat: a comment, or the end once the session has expired. */
  beat() {
    if (Date.now() >= this.expiresAt) return this.#end();
    this.#write(PING);
  }

  /**
   * The bus: a local commit hands over its events, and those right after the cursor are written
   * at once. Any other wake (another host's ring, another worker) only says the log may have
   * grown.
   */
  wake({ events }: Wake) {
    const last = events?.at(-1)?.seq;
    if (events && last !== undefined) {
      if (last <= this.cursor) return;
      const handOver = !this.#pulling && events[0].seq === this.cursor + 1 &&
        !events.some((e) => e.type === "reset");
      if (handOver) {
        for (const e of events) if (this.#emit(e)) return;
        return;
      }
      this.#target = Math.max(this.#target, last);
    } else this.#dirty = true;
    this.#catchUp();
  }

  /** A signed-out session or withdrawn rights end the stream within a wake, on any instance. */
  async revoked() {
    const { bus, kv } = this.deps;
    try {
      if (await this.#sessionGone((t) => bus.session(kv, t))) this.#end();
    } catch (e) {
      // The next wake or heartbeat tries again; a failed read must not end a live session.
      if (!this.#closed) console.error("event stream session re-check failed", e);
    }
  }

  /** The server shuts down. */
  shutdown() {
    this.#end();
  }

  /** The per-user cap dropped this stream: say why, so the client does not reconnect at once. */
  evicted() {
    this.#write(frame({ type: "closed", data: { reason: "too_many_streams" } }));
    this.#end();
  }

  /** Bytes as they are (the heartbeat's, encoded once); text encoded here. */
  #write(s: string | Uint8Array) {
    if (!this.#closed) this.#controller!.enqueue(typeof s === "string" ? enc.encode(s) : s);
  }

  #end() {
    if (this.#closed) return;
    this.#stop();
    this.#controller?.close();
  }

  #stop() {
    this.#closed = true;
    const { deps, opts } = this;
    stopBeat(deps.cfg.heartbeatMs, this);
    deps.bus.detach(this.logId, opts.owner, this);
    this.#presence?.close();
    this.#presence = undefined;
  }

  /**
   * The session's expiry is known from the start, and a revocation always wakes the stream: a
   * sign-out, withdrawn rights or an erase reach the owner's revocation listeners, on another
   * host through a ring (kv/messaging/log_hosts.ts), and a log-out publishes a `reset`. So the
   * session is read again only then, never per heartbeat. After a revocation wake the bus has
   * just forgotten this user's cached sessions, so bus.session reads it afresh, and keeps it: the
   * re-check that follows this instance's join of the user's host list is what puts a streaming
   * user's session in memory before their first send. A `reset` in the log reads KV itself,
   * whatever the cache holds.
   */
  async #sessionGone(read = (t: string) => getSession(this.deps.kv, t)): Promise<boolean> {
    const { opts } = this;
    return !await read(opts.token) || (opts.allowed !== undefined && !await opts.allowed());
  }

  /** Writes one event in order; true when it ended the stream. */
  #emit(e: StoredEvent): boolean {
    this.cursor = e.seq;
    // Internal: addressed to one stream of this user (kv/people/presence.ts).
    if (e.type === STREAM_CLOSED) {
      if ((e.data as { stream_id?: string }).stream_id !== this.#presence?.id) return false;
      this.evicted();
      return true;
    }
    if (!this.opts.only || this.opts.only(e)) this.#write(frame(e));
    return false;
  }

  /** Reads the log after the cursor and writes what is there, until nothing more is due. */
  async #catchUp() {
    if (this.#pulling) return;
    this.#pulling = true;
    try {
      do {
        this.#dirty = false;
        let batch: StoredEvent[];
        do {
          const read = await eventsAfter(this.deps.kv, this.logId, this.cursor);
          if (this.#closed) return;
          // Events handed over directly while this read was in flight are already out.
          batch = read.filter((e) => e.seq > this.cursor);
          if (batch.some((e) => e.type === "reset") && await this.#sessionGone()) {
            return this.#end();
          }
          if (batch.length && batch[0].seq !== this.cursor + 1) {
            // Events past the replay window expired: tell the client to refetch state.
            this.#write(frame({ type: "reset", data: { reason: "replay_window_passed" } }));
          }
          for (const e of batch) if (this.#emit(e)) return;
          if (read.length < 500) break;
        } while (!this.#closed);
      } while (!this.#closed && (this.#dirty || this.#target > this.cursor));
    } catch (e) {
      if (!this.#closed) console.error("event stream pull failed", e);
    } finally {
      this.#pulling = false;
    }
  }
}
