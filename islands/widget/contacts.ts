/** The dialog list, the contacts tabs and search, and the favourite / block / report actions. */
import { call } from "./api.ts";
import { isMissing } from "./api_error.ts";
import { errorText, t } from "./i18n.ts";
import { notify, person, S, update } from "./store.ts";
import type { DialogItem } from "./types.ts";

/** Keeps what an API item says about a user; returns the user's id. */
function absorbItem(d: DialogItem): string {
  const { peer = d.user.user_id, last_message: m, unread: _, ...p } = d;
  Object.assign(person(peer), p);
  const last = S.rows.get(peer)?.last;
  if (m && (!last || last.id <= m.id)) S.rows.set(peer, { peer, last: m });
  return peer;
}

/** Loads the first page of dialogs (again, merging), or with `more` the next page. */
export async function loadDialogs(more?: boolean) {
  if (S.listBusy || (more && !S.listCursor)) return;
  S.listBusy = true;
  update();
  try {
    const r = await call<{ dialogs: DialogItem[]; next_cursor: string | null }>(
      "GET",
      `/api/v1/dialogs?limit=30${more ? "&cursor=" + S.listCursor : ""}`,
    );
    r.dialogs.forEach(absorbItem);
    if (more || !S.listLoaded) S.listCursor = r.next_cursor;
    S.listLoaded = true;
  } catch (e) {
    notify(errorText(e), true);
  }
  S.listBusy = false;
  update();
}

/** The dialog list's order: dialogs with unread messages first, then the newest. */
export function sortedPeers(): string[] {
  const key = (p: string) => (S.unread[p] > 0 ? "1" : "0") + (S.rows.get(p)!.last?.id ?? "");
  return [...S.rows.keys()].sort((a, b) => (key(a) < key(b) ? 1 : -1));
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
let asked = "";

/** Refreshes what the list shows for the current tab and search text. */
export async function findContacts() {
  const q = S.q.trim().toLowerCase();
  S.found = null;
  if (!S.feat.contacts) {
    // No contacts API on this server: search the loaded dialogs.
    if (q) {
      S.found = sortedPeers().filter((p) => {
        const u = person(p).user;
        return u && (u.name + " " + u.login).toLowerCase().includes(q);
      });
    }
  } else if (S.tab !== "all" || q) {
    const want = asked = `tab=${S.tab}&q=${encodeURIComponent(q)}`;
    try {
      const r = await call<{ contacts: DialogItem[] }>("GET", `/api/v1/contacts?${want}&limit=50`);
      if (want === asked) S.found = r.contacts.map(absorbItem);
    } catch (e) {
      if (!isMissing(e)) notify(errorText(e), true);
      else {
        S.feat.contacts = false;
        S.tab = "all";
        return findContacts();
      }
    }
  }
  update();
}

/** The search box changed: searches after a short pause in typing. */
export function setQuery(q: string) {
  S.q = q;
  clearTimeout(searchTimer);
  searchTimer = setTimeout(findContacts, 250);
}

/** Switches the all / favourites / blocked tab. */
export function setTab(tab: "all" | "favourites" | "blocked") {
  S.tab = tab;
  findContacts();
}

/** Adds or removes `peer` from favourites, or blocks / unblocks them (`kind`). */
export async function toggleMark(peer: string, kind: "favourite" | "blocked") {
  const p = person(peer);
  S.menu = "";
  try {
    p[kind] = (await call<Record<string, boolean>>(
      p[kind] ? "DELETE" : "PUT",
      `/api/v1/${kind === "favourite" ? "favourites" : "blocks"}/${encodeURIComponent(peer)}`,
    ))[kind];
    S.sendError = "";
    if (S.tab !== "all") findContacts();
  } catch (e) {
    if (isMissing(e)) S.feat.marks = false;
    notify(errorText(e), true);
  }
  update();
}

/** Sends a complaint about the user (and message) in `S.report`. */
export async function sendReport(reason: string, text: string) {
  const { peer, message_id } = S.report!;
  S.report = null;
  S.focus = "textarea";
  try {
    await call("POST", "/api/v1/complaints", {
      user_id: peer,
      message_id,
      reason,
      text: text.trim() || undefined,
    });
    notify(t("reported"));
  } catch (e) {
    if (isMissing(e)) S.feat.report = false;
    notify(errorText(e), true);
  }
}
