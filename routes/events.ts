import { Hono } from "hono";
import { currentSeq, eventsAfter } from "../kv/events.ts";
import { trackStream } from "../kv/presence.ts";
import type { StoredEvent } from "../kv/types.ts";
import type { AppEnv, Deps } from "../services/context.ts";
import { badRequest } from "../services/errors.ts";
import { requireUser } from "./middleware.ts";

export const HEARTBEAT_MS = 20_000;
const enc = new TextEncoder();

/** One SSE frame; `data` is JSON on a single line. */
export function frame(e: { seq?: number; type: string; data: unknown }): string {
  return `${e.seq !== undefined ? `id: ${e.seq}\n` : ""}event: ${e.type}\ndata: ${
    JSON.stringify(e.data)
  }\n\n`;
}

function parseCursor(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw badRequest("invalid_last_event_id", "Last-Event-ID must be an event id", "last_event_id");
  }
  return n;
}

/**
 * `GET /api/v1/events`: the caller's event log as Server-Sent Events. A new stream starts at the
 * log's end; a stream with Last-Event-ID (header or `?last_event_id=`) first replays everything
 * after it. The first frame is `ready` carrying the cursor as its id, so a browser that reconnects
 * before any event arrived still resumes from the right place.
 */
export function eventRoutes(deps: Deps) {
  const { kv, bus } = deps;
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));
  app.get("/", async (c) => {
    const uid = c.get("uid");
    const asked = parseCursor(c.req.header("last-event-id") ?? c.req.query("last_event_id"));
    const head = await currentSeq(kv, uid);
    // A cursor from the future (a reset store, a forged id) would stall the stream: clamp it.
    let cursor = asked === undefined || asked > head ? head : asked;
    let closed = false;
    let unsubscribe = () => {};
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let presence: ReturnType<typeof trackStream> | undefined;

    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const write = (s: string) => {
          if (!closed) controller.enqueue(enc.encode(s));
        };
        let pulling = false;
        let again = false;
        const pull = async () => {
          if (pulling) {
            again = true;
            return;
          }
          pulling = true;
          try {
            do {
              again = false;
              let batch: StoredEvent[];
              do {
                batch = await eventsAfter(kv, uid, cursor);
                if (closed) return;
                if (batch.length && batch[0].seq !== cursor + 1) {
                  // Events past the replay window expired: tell the client to refetch state.
                  write(frame({ type: "reset", data: { reason: "replay_window_passed" } }));
                }
                for (const e of batch) {
                  write(frame(e));
                  cursor = e.seq;
                }
              } while (batch.length === 500);
            } while (again && !closed);
          } catch (e) {
            if (!closed) console.error("event stream pull failed", e);
          } finally {
            pulling = false;
          }
        };
        write(`retry: 2000\n`);
        write(frame({ seq: cursor, type: "ready", data: { user_id: uid, cursor } }));
        unsubscribe = bus.subscribe(uid, pull);
        // The heartbeat also keeps the user's presence alive (kv/presence.ts).
        presence = trackStream(deps, uid);
        heartbeat = setInterval(() => {
          write(`: ping\n\n`);
          presence?.beat();
        }, HEARTBEAT_MS);
        pull();
      },
      cancel() {
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        presence?.close();
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  });
  return app;
}
