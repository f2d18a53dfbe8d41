/** Applies the server's live events to the state, and keeps the unread counts exact. */
import { call } from "./api.ts";
import { loadDialogs } from "./contacts.ts";
import { t } from "./i18n.ts";
import { loadExtra } from "./lazy.ts";
import { audio } from "./sound.ts";
import type { EventType } from "./sse.ts";
import { nameOf, person, S, update } from "./store.ts";
import { absorb, loadHistory, markRead, peerOf } from "./threads.ts";
import type { Last, Message } from "./types.ts";
import type { Deleted } from "../widget_chat/deleted.ts";

let unreadBusy = false;
let unreadDirty = false;

/**
 * Fetches the unread counts. Counts that change while it is in flight (a message, a read in
 * another tab) may or may not be in the answer, so it asks again until nothing changed meanwhile.
 */
export async function refreshUnread() {
  unreadBusy = true;
  try {
    do {
      unreadDirty = false;
      S.unread = (await call<{ by_user: Record<string, number> }>("GET", "/api/v1/unread")).by_user;
    } while (unreadDirty);
  } finally {
    unreadBusy = false;
    update();
  }
  markRead();
}

function onMessage(m: Message) {
  const peer = peerOf(m);
  if (!absorb(m) || m.from !== peer) return;
  delete S.typing[peer];
  if (unreadBusy) unreadDirty = true;
  else S.unread[peer] = (S.unread[peer] ?? 0) + 1;
  const say = () => {
    S.announce = `${t("newMessage")}, ${nameOf(peer)}: ${m.text || t("photo")}`;
    update();
  };
  // The announcement names the sender: fetch the list (it carries profiles) if they are unknown.
  if (person(peer).user) say();
  else loadDialogs().then(say);
  if (!S.open || S.peer !== peer || document.hidden) {
    loadExtra().then((x) => (x.alertNew(audio), x.notifyNew(m)), () => {});
  }
  markRead();
}

type Read = { reader: string; peer: string; up_to: string; read_at: string; unread: number };

function onRead(d: Read) {
  if (d.reader === S.me?.user_id) {
    // This user read (maybe in another tab): the server's count is the truth.
    unreadDirty = unreadBusy;
    S.unread[d.peer] = d.unread;
    S.readUpTo[d.peer] = d.up_to;
    return;
  }
  // The peer read this user's messages: two ticks.
  const tick = (m?: Last) => {
    if (m && m.from !== d.reader && m.id <= d.up_to) m.read_at ??= d.read_at;
  };
  S.threads[d.reader]?.msgs.forEach(tick);
  tick(S.rows.get(d.reader)?.last ?? undefined);
}

let readies = 0;

/** Handles one live event. */
export function onEvent(type: EventType, d: Record<string, unknown>) {
  // Back after a drop: counts and read receipts that failed meanwhile are redone.
  if (type === "ready" && readies++) refreshUnread().catch(() => {});
  if (type === "message") onMessage(d as unknown as Message);
  else if (type === "read") onRead(d as unknown as Read);
  // A deletion is put in place by the lazy parts (islands/widget_chat/deleted.ts: quotes of it
  // say "deleted" too).
  else if (type === "message_deleted") {
    loadExtra().then((x) => x.onDeleted(d as unknown as Deleted));
  } else if (type === "typing" && d.from !== S.me?.user_id) {
    const ms = Math.min(Math.max(Date.parse(d.expires_at as string) - Date.now(), 1500), 8000);
    S.typing[d.from as string] = Date.now() + ms;
    setTimeout(update, ms + 50);
  } else if (type === "presence") {
    Object.assign(person(d.user_id as string), { online: d.online, last_seen: d.last_seen });
  } else if (type === "reset") {
    // The replay window passed: refetch everything; histories may have gaps, so drop them.
    refreshUnread().catch(() => {});
    if (S.listLoaded) loadDialogs();
    S.threads = {};
    if (S.peer) loadHistory(S.peer);
  } // Edits, marks and bans: islands/widget_extra/events.ts.
  else if (type !== "ready") loadExtra().then((x) => x.onEvent(type, d));
  update();
}
