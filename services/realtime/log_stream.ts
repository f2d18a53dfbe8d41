/**
 * A KV event log (a user's, or the admin log) as a Server-Sent Events stream: replay after a
 * cursor, then live as the bus wakes it. Shared by the user and admin event routes.
 */
import { currentSeq, eventsAfter } from "../../kv/messaging/events.ts";
import { STREAM_CLOSED, trackStream } from "../../kv/people/presence.ts";
import { getSession } from "../../kv/people/sessions.ts";
import type { Session, StoredEvent } from "../../kv/types.ts";
import type { Deps } from "../core/context.ts";
import { everyBeat } from "./heartbeat.ts";

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
  const { kv, bus } = deps;
  // A reopened stream costs one read here: the session comes from the request's own check.
  const [head, session] = await Promise.all([
    currentSeq(kv, logId),
    opts.session ?? getSession(kv, opts.token),
  ]);
  const expiresAt = session?.expires_at ?? 0;
  // A cursor from the future (a log that started again after its user was erased, a reset store,
  // a forged id) would stall the stream: clamp it, and tell the client its state is stale.
  const future = asked !== undefined && asked > head;
  let cursor = asked === undefined || asked > head ? head : asked;
  let closed = false;
  let unsubscribe = () => {};
  let offBeat = () => {};
  let presence: ReturnType<typeof trackStream> | undefined;
  let offClose = () => {};
  const stop = () => {
    closed = true;
    offBeat();
    unsubscribe();
    offClose();
    presence?.close();
    presence = undefined;
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // Bytes as they are (the heartbeat's, encoded once); text encoded here.
      const write = (s: string | Uint8Array) => {
        if (!closed) controller.enqueue(typeof s === "string" ? enc.encode(s) : s);
      };
      const end = () => {
        if (closed) return;
        stop();
        controller.close();
      };
      // The per-user cap dropped this stream: say why, so the client does not reconnect at once.
      const evicted = () => {
        write(frame({ type: "closed", data: { reason: "too_many_streams" } }));
        end();
      };
      // The session's expiry is known from the start, and a revocation always wakes the stream:
      // a sign-out, withdrawn rights or an erase reach the owner's revocation listeners (below),
      // on another host through a ring (kv/messaging/log_hosts.ts), and a log-out publishes a
      // `reset`. So the session is read again only then, never per heartbeat.
      // After a revocation wake (below) the bus has just forgotten this user's cached sessions,
      // so bus.session reads it afresh, and keeps it: the re-check that follows this instance's
      // join of the user's host list is what puts a streaming user's session in memory before
      // their first send. A `reset` in the log reads KV itself, whatever the cache holds.
      const sessionGone = async (read = (t: string) => getSession(kv, t)) =>
        !await read(opts.token) || (opts.allowed !== undefined && !await opts.allowed());
      let pulling = false;
      // Woken by a local notify, which does not say how far the log got.
      let dirty = false;
      // The newest event a wake handed over that could not be written at once.
      let target = cursor;
      /** Writes one event in order; true when it ended the stream. */
      const emit = (e: StoredEvent): boolean => {
        cursor = e.seq;
        // Internal: addressed to one stream of this user (kv/people/presence.ts).
        if (e.type === STREAM_CLOSED) {
          if ((e.data as { stream_id?: string }).stream_id !== presence?.id) return false;
          evicted();
          return true;
        }
        if (!opts.only || opts.only(e)) write(frame(e));
        return false;
      };
      const pull = async () => {
        if (pulling) return;
        pulling = true;
        try {
          do {
            dirty = false;
            let batch: StoredEvent[];
            do {
              const read = await eventsAfter(kv, logId, cursor);
              if (closed) return;
              // Events handed over directly while this read was in flight are already out.
              batch = read.filter((e) => e.seq > cursor);
              if (batch.some((e) => e.type === "reset") && await sessionGone()) return end();
              if (batch.length && batch[0].seq !== cursor + 1) {
                // Events past the replay window expired: tell the client to refetch state.
                write(frame({ type: "reset", data: { reason: "replay_window_passed" } }));
              }
              for (const e of batch) if (emit(e)) return;
              if (read.length < 500) break;
            } while (!closed);
          } while (!closed && (dirty || target > cursor));
        } catch (e) {
          if (!closed) console.error("event stream pull failed", e);
        } finally {
          pulling = false;
        }
      };
      write(`retry: 2000\n`);
      if (future) write(frame({ type: "reset", data: { reason: "cursor_ahead_of_log" } }));
      write(frame({ seq: cursor, type: "ready", data: { ...opts.readyData, cursor } }));
      // A local commit hands over its events: those right after the cursor are written at once.
      // Any other wake (another host's ring, another worker) only says the log may have grown.
      unsubscribe = bus.subscribe(logId, ({ events }) => {
        const last = events?.at(-1)?.seq;
        if (events && last !== undefined) {
          if (last <= cursor) return;
          const handOver = !pulling && events[0].seq === cursor + 1 &&
            !events.some((e) => e.type === "reset");
          if (handOver) {
            for (const e of events) if (emit(e)) return;
            return;
          }
          target = Math.max(target, last);
        } else dirty = true;
        pull();
      });
      // A signed-out session or withdrawn rights end the stream within a wake, on any instance.
      const offRevoked = bus.subscribeRevocations(opts.owner, async () => {
        if (await sessionGone((t) => bus.session(kv, t))) end();
      });
      const offLog = unsubscribe;
      unsubscribe = () => {
        offLog();
        offRevoked();
      };
      // The server shutting down ends its streams (clients reconnect elsewhere with their cursor).
      offClose = bus.onClose(end);
      // Presence: a hello now and a goodbye at the end; the host's lease covers the time between.
      if (opts.presenceOf) presence = trackStream(deps, opts.presenceOf, evicted);
      // One shared timer beats every stream (services/realtime/heartbeat.ts): streams opened
      // together (a server restart, a bench) are spread over the interval, not beating together.
      offBeat = everyBeat(deps.cfg.heartbeatMs, () => {
        if (Date.now() >= expiresAt) return end();
        write(PING);
      });
      pull();
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
