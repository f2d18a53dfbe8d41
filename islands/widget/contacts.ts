/** The dialog list: loading it, its order, and searching it. */
import { call } from "./api.ts";
import { errorText } from "./i18n.ts";
import { withExtra } from "./lazy.ts";
import { notify, person, S, update } from "./store.ts";
import type { DialogItem } from "./types.ts";

/** Keeps what an API item says about a user; returns the user's id. */
export function absorbItem(d: DialogItem): string {
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

/**
 * Refreshes what the list shows for the current tab and search text: the contacts API (in the
 * extra parts) when the server has it, else a search of the loaded dialogs.
 */
export function findContacts(): void {
  const q = S.q.trim().toLowerCase();
  if (S.feat.contacts && (S.tab !== "all" || q)) return withExtra((x) => x.searchContacts(q));
  S.found = q
    ? sortedPeers().filter((p) => {
      const u = person(p).user;
      return u && (u.name + " " + u.login).toLowerCase().includes(q);
    })
    : null;
  update();
}

/** The search box changed: searches after a short pause in typing. */
export function setQuery(q: string) {
  S.q = q;
  clearTimeout(searchTimer);
  searchTimer = setTimeout(findContacts, 250);
}
