/** The dialog list: search, tabs (from the extra parts), and the rows, paged on scroll. */
import { loadDialogs, setQuery, sortedPeers } from "../contacts.ts";
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { extra } from "../lazy.ts";
import { S } from "../store.ts";
import { DialogRow } from "./DialogRow.ts";

function onScroll(e: Event) {
  const el = e.currentTarget as HTMLElement;
  if (!S.found && el.scrollTop + el.clientHeight > el.scrollHeight - 80) loadDialogs(true);
}

/** The list screen of the panel. */
export function DialogList() {
  const peers = S.found ?? sortedPeers();
  return html`<div class="list">
<input class="search" type="search" data-first placeholder=${t("search")} aria-label=${
    t("search")
  } value=${S.q} onInput=${(
    e: Event,
  ) => setQuery((e.currentTarget as HTMLInputElement).value)} />
${S.feat.contacts && extra && html`<${extra.Tabs} />`}
<ul class="rows" onScroll=${onScroll}>${
    peers.map((p) =>
      html`
        <li key=${p}>
          <${DialogRow} peer=${p} />
        </li>
      `
    )
  }</ul>
${
    !peers.length &&
    html`<p class="empty">${
      t(S.listBusy || !S.listLoaded ? "loading" : S.found ? "nothing" : "empty")
    }</p>`
  }
</div>`;
}
