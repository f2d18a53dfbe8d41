/**
 * Dialog histories: loading pages, merging live messages once, sending, read receipts. ("typing…"
 * is sent by islands/widget_look/typing.ts.)
 */
import { call, dialogPath } from "./api.ts";
import { loadDialogs } from "./contacts.ts";
import { errorText } from "./i18n.ts";
import { notify, person, S, thread, update } from "./store.ts";
import type { Message, Person } from "./types.ts";

/** Ids of every message the widget has seen, so a replayed or echoed one counts only once. */
const seen = new Set<string>();
let relist: ReturnType<typeof setTimeout> | undefined;

/** The other member of the dialog a message belongs to. */
export function peerOf(m: { from: string; to: string }): string {
  return m.from === S.me?.user_id ? m.to : m.from;
}

/** Merges messages into a history by id (sorted, no duplicates; a known copy is kept). */
function merge(list: Message[], add: Message[]): Message[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of add) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Takes in one message (live event, send answer): adds it to its loaded history and to the dialog
 * list. Returns false when it was already known.
 */
export function absorb(m: Message): boolean {
  const peer = peerOf(m);
  const fresh = !seen.has(m.id);
  const th = S.threads[peer];
  seen.add(m.id);
  if (th && fresh) th.msgs = merge(th.msgs, [m]);
  const last = S.rows.get(peer)?.last;
  if (!last || last.id <= m.id) S.rows.set(peer, { peer, last: m });
  // Someone the loaded list has no profile for: reload its first page (it carries profiles).
  if (S.listLoaded && !person(peer).user) {
    clearTimeout(relist);
    relist = setTimeout(loadDialogs, 300);
  }
  return fresh;
}

/** Loads the newest page of a dialog, or (older) the page before the oldest loaded message. */
export async function loadHistory(peer: string, older?: boolean) {
  const th = thread(peer);
  if (th.busy || (older && !(th.more && th.loaded))) return;
  th.busy = true;
  update();
  try {
    const r = await call<{ messages: Message[]; next_before: string | null; peer?: Person }>(
      "GET",
      `${dialogPath(peer)}/messages?limit=${S.opts.page_size || 30}${
        older ? `&before=${th.msgs[0].id}` : ""
      }`,
    );
    // The first page describes the peer (name for a dialog opened by id, presence, relation).
    if (r.peer) Object.assign(person(peer), r.peer);
    r.messages.forEach((m) => seen.add(m.id));
    th.msgs = merge(th.msgs, r.messages);
    if (older || !th.loaded) th.more = !!r.next_before;
    th.loaded = true;
    const last = r.messages.at(-1);
    if (last) absorb(last);
  } catch (e) {
    notify(errorText(e), true);
  }
  th.busy = false;
  update();
  markRead();
}

const reading: Record<string, string> = {};

/** Sends a read receipt for the open dialog when it is visible and has unread messages. */
export async function markRead() {
  const peer = S.peer;
  if (!S.open || !peer || document.hidden || !(S.unread[peer] > 0)) return;
  const last = S.threads[peer]?.msgs.findLast((m) => m.from === peer)?.id;
  if (!last || last <= (S.readUpTo[peer] ?? "") || last <= (reading[peer] ?? "")) return;
  reading[peer] = last;
  try {
    const { read } = await call<{ read: { up_to: string; unread: number } }>(
      "POST",
      `${dialogPath(peer)}/read`,
      { up_to: last },
    );
    S.readUpTo[peer] = read.up_to;
    S.unread[peer] = read.unread;
    update();
  } catch {
    // tried again a little later (and on the next message, visibility change or reconnect)
    setTimeout(markRead, 5e3);
  }
  delete reading[peer];
}

/** Shows a send error and learns from it (read-only host text, a block made elsewhere). */
export function sendFailed(peer: string, e: unknown) {
  const { code, message } = e as { code: string; message: string };
  S.sendError = errorText(e);
  if (code === "read_only") Object.assign(S.me!, { read_only: true, error: message });
  if (code === "you_blocked") person(peer).blocked = true;
  update();
}
