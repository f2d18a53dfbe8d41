/** The admin event stream (SSE): live messages, deletions, complaints and bans into the store. */
import { apiUrl, call } from "./api.ts";
import { type Msg, type Stats, store } from "./store.ts";
import { isFullAdmin } from "./role.ts";

/**
 * Counters follow the events: a message, complaint or ban refreshes them within STATS_AFTER_MS
 * (one request for a whole burst). Only the sliding of the hour/day/week/month windows over a
 * quiet site needs a timer, and that is slow.
 */
const STATS_AFTER_MS = 1500;
const STATS_QUIET_MS = 5 * 60_000;
let statsTimer: ReturnType<typeof setTimeout> | undefined;

function statsSoon() {
  statsTimer ??= setTimeout(() => {
    statsTimer = undefined;
    refreshStats();
  }, STATS_AFTER_MS);
}

export async function refreshStats() {
  try {
    store.stats = await call<Stats>("GET", "/api/v1/admin/stats");
    store.changed();
  } catch {
    // Counts stay as they were; the next refresh tries again.
  }
}

async function loadNewest() {
  // A moderator's stream has no messages, and the listing is not theirs (403).
  if (!isFullAdmin()) return;
  try {
    const r = await call<{ messages: Msg[]; users: Record<string, never> }>(
      "GET",
      "/api/v1/admin/messages",
      { params: { limit: "50" } },
    );
    store.addNames(r.users);
    store.seedLive(r.messages);
  } catch {
    // The stream still brings new messages.
  }
}

/**
 * Opens the stream; returns a stop. EventSource reconnects by itself with Last-Event-ID after a
 * network error, but gives up for good on an HTTP error (an ended session: 401): then a stats call
 * finds out (a 401 signs the admin out) and the stream is reopened from the last event seen.
 */
export function startLive(): () => void {
  let es: EventSource | null = null;
  let lastId = "";
  let stopped = false;
  let seeded = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = () => {
    const source = new EventSource(
      // Same origin: the admin cookie goes with it, so the URL carries no credential.
      apiUrl("/api/v1/admin/events", { last_event_id: lastId }),
    );
    es = source;
    const on = (type: string, fn: (data: unknown) => void) =>
      source.addEventListener(type, (e) => {
        const ev = e as MessageEvent;
        if (ev.lastEventId) lastId = ev.lastEventId;
        fn(JSON.parse(ev.data));
      });
    on("ready", () => {
      store.connected = true;
      store.changed();
      // The newest messages are read only once the stream has its cursor: a message committed
      // after this read reaches the admin log after the commit, so past the cursor, and arrives
      // on the stream; one committed before is in the read. Loaded in parallel with opening the
      // stream, a message sent in between was in neither. Both add by id (store.seedLive,
      // addLive), so one that is in both shows once. A reconnect replays from Last-Event-ID.
      if (!seeded) {
        seeded = true;
        loadNewest();
      }
    });
    on("message", (m) => {
      store.addLive(m as Msg);
      statsSoon();
    });
    on("message_deleted", (d) => store.markDeleted((d as { id: string }).id));
    on("read", (d) => {
      const r = d as { reader: string; peer: string; up_to: string };
      store.markRead(r.reader, r.peer, r.up_to);
    });
    on("complaint", () => {
      // The badge moves at once; the refresh confirms it.
      if (store.stats) store.stats.complaints.open++;
      store.complaintsVersion++;
      statsSoon();
    });
    on("complaint_updated", () => {
      store.complaintsVersion++;
      statsSoon();
    });
    on("ban", () => {
      store.bansVersion++;
      store.changed();
    });
    on("reset", () => loadNewest());
    source.onerror = () => {
      store.connected = false;
      store.changed();
      if (source.readyState === EventSource.CLOSED && !stopped) {
        refreshStats();
        retry = setTimeout(open, 3000);
      }
    };
  };
  open();
  refreshStats();
  const timer = setInterval(refreshStats, STATS_QUIET_MS);
  return () => {
    stopped = true;
    es?.close();
    clearTimeout(retry);
    clearInterval(timer);
    clearTimeout(statsTimer);
    statsTimer = undefined;
  };
}
