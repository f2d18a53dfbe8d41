/** The admin event stream (SSE): live messages, deletions, complaints and bans into the store. */
import { apiUrl, call, getToken } from "./api.ts";
import { type Msg, type Stats, store } from "./store.ts";

const STATS_EVERY_MS = 20_000;

export async function refreshStats() {
  try {
    store.stats = await call<Stats>("GET", "/api/v1/admin/stats");
    store.changed();
  } catch {
    // Counts stay as they were; the next refresh tries again.
  }
}

async function loadNewest() {
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

/** Opens the stream (EventSource reconnects by itself with Last-Event-ID); returns a stop. */
export function startLive(): () => void {
  const es = new EventSource(apiUrl("/api/v1/admin/events", { token: getToken() }));
  const on = (type: string, fn: (data: unknown) => void) =>
    es.addEventListener(type, (e) => fn(JSON.parse((e as MessageEvent).data)));
  on("ready", () => {
    store.connected = true;
    store.changed();
  });
  on("message", (m) => store.addLive(m as Msg));
  on("message_deleted", (d) => store.markDeleted((d as { id: string }).id));
  on("complaint", () => {
    // The badge moves at once; the refresh confirms it.
    if (store.stats) store.stats.complaints.open++;
    store.complaintsVersion++;
    refreshStats();
  });
  on("complaint_updated", () => {
    store.complaintsVersion++;
    refreshStats();
  });
  on("ban", () => {
    store.bansVersion++;
    store.changed();
  });
  on("reset", () => loadNewest());
  es.onerror = () => {
    store.connected = false;
    store.changed();
  };
  loadNewest();
  refreshStats();
  const timer = setInterval(refreshStats, STATS_EVERY_MS);
  return () => {
    es.close();
    clearInterval(timer);
  };
}
