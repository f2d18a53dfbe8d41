/**
 * The live connection: one EventSource on `/api/v1/events?ticket=`. A ticket (POST
 * /api/v1/tickets) is good for one stream and a minute, so the session token never rides in a
 * URL; every reconnect therefore fetches a fresh ticket and resumes from the last id we saw
 * (`last_event_id=`), backing off while it fails. A user has a few streams at most
 * (PARLEY_MAX_STREAMS): when a newer tab's stream closes ours (`closed`), this tab waits until it
 * gets the focus again before reconnecting (and then closes the oldest other one).
 */
import { getTicket } from "./images.ts";
import { S } from "./store.ts";

/** Every event type the server sends. */
export const EVENT_TYPES = [
  "ready",
  "message",
  "read",
  "typing",
  "presence",
  "message_deleted",
  "message_edited",
  "contact",
  "ban",
  "reset",
] as const;

export type EventType = typeof EVENT_TYPES[number];

/** Opens the stream; `onEvent` gets each event's type and parsed data, in order. */
export function connect(
  onEvent: (type: EventType, data: Record<string, unknown>) => void,
  onState: (s: "online" | "reconnecting" | "failed") => void,
) {
  let es: EventSource | null = null;
  let lastId = "";
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = async () => {
    const { ticket } = await getTicket("events");
    const src = es = new EventSource(
      `${S.base}/api/v1/events?ticket=${ticket}&last_event_id=${lastId}`,
    );
    for (const type of EVENT_TYPES) {
      src.addEventListener(type, (e) => {
        const m = e as MessageEvent<string>;
        lastId = m.lastEventId || lastId;
        if (type === "ready") {
          delay = 500;
          onState("online");
        }
        onEvent(type, JSON.parse(m.data));
      });
    }
    src.addEventListener("closed", () => {
      src.close();
      es = null;
      onState("reconnecting");
      addEventListener("focus", () => es || start(), { once: true });
    });
    // The browser's own reconnect would reuse the spent ticket: reconnect ourselves instead.
    src.onerror = () => {
      onState("reconnecting");
      retry();
    };
  };
  // A 401 here means signing in again failed too (api.ts retries once): give up.
  const start = () =>
    open().catch((e: { status?: number }) => (e.status === 401 ? onState("failed") : retry()));
  const retry = () => {
    es?.close();
    es = null;
    clearTimeout(timer);
    timer = setTimeout(() => {
      delay = Math.min(delay * 2, 30_000);
      start();
    }, delay);
  };
  // Back online (or woken from sleep): do not wait for the backoff.
  addEventListener("online", () => {
    if (!es) {
      delay = 250;
      retry();
    }
  });
  start();
}
