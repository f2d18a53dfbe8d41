/**
 * The live connection: one EventSource on `/api/v1/events?token=`. The browser reconnects by
 * itself after a network drop and sends Last-Event-ID, so the server replays what was missed.
 * When the browser gives up (an HTTP error such as an expired token), we sign in again and open a
 * new stream resuming from the last id we saw (`last_event_id=`), backing off while it fails.
 * A user has a few streams at most (PARLEY_MAX_STREAMS); when a newer tab's stream closes ours
 * (`closed`), this tab waits until it is looked at again before reconnecting.
 */
import { login } from "./api.ts";
import { S } from "./store.ts";

/** Every event type the server sends. */
export const EVENT_TYPES = [
  "ready",
  "message",
  "read",
  "typing",
  "presence",
  "message_deleted",
  "contact",
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
  const open = () => {
    const src = es = new EventSource(
      `${S.base}/api/v1/events?token=${encodeURIComponent(S.token!)}&last_event_id=${lastId}`,
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
      const back = () => {
        if (document.hidden || es) return;
        removeEventListener("focus", back);
        document.removeEventListener("visibilitychange", back);
        open();
      };
      addEventListener("focus", back);
      document.addEventListener("visibilitychange", back);
    });
    src.onerror = () => {
      onState("reconnecting");
      // CONNECTING: the browser retries by itself. CLOSED: it gave up; start over ourselves.
      if (src.readyState === 2) retry();
    };
  };
  const retry = () => {
    es?.close();
    es = null;
    clearTimeout(timer);
    timer = setTimeout(() => {
      delay = Math.min(delay * 2, 30_000);
      login().then(open, (e) => (e.status === 401 ? onState("failed") : retry()));
    }, delay);
  };
  // Back online (or woken from sleep): do not wait for the backoff.
  addEventListener("online", () => {
    if (!es) {
      delay = 250;
      retry();
    }
  });
  open();
}
