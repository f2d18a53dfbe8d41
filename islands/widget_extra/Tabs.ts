/** The dialog list's contacts tabs (all / favourites / blocked) and the server-side search. */
import { isMissing } from "../widget/api_error.ts";
import type { DialogItem } from "../widget/types.ts";
import { absorbItem, call, errorText, findContacts, html, notify, S, t, update } from "./core.ts";

let asked = "";

/** Asks the contacts API for the current tab and search text `q`; the list shows the answer. */
export async function searchContacts(q: string): Promise<void> {
  S.found = null;
  const want = asked = `tab=${S.tab}&q=${encodeURIComponent(q)}`;
  try {
    const r = await call<{ contacts: DialogItem[] }>("GET", `/api/v1/contacts?${want}&limit=50`);
    if (want === asked) S.found = r.contacts.map(absorbItem);
  } catch (e) {
    if (!isMissing(e)) notify(errorText(e), true);
    else {
      // No contacts API on this server after all: search the loaded dialogs.
      S.feat.contacts = false;
      S.tab = "all";
      return findContacts();
    }
  }
  update();
}

/** The tab buttons. */
export function Tabs() {
  return html`<div class="tabs" role="group">${
    (["all", "favourites", "blocked"] as const).map((k) =>
      html`<button class=${k} aria-pressed=${S.tab === k} onClick=${() => {
        S.tab = k;
        findContacts();
      }}>${t(k)}</button>`
    )
  }</div>`;
}
