/** The round button that opens the chat, with the unread badge. */
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { openList } from "../panel_actions.ts";
import { S, unreadTotal } from "../store.ts";

/** The launcher; its label says the unread count too. */
export function Launcher() {
  const n = unreadTotal();
  const label = S.me ? t("open") + (n ? ", " + t("unreadN", { n }) : "") : t("reload");
  return html`<button class=${
    "launcher " + S.conn
  } aria-label=${label} title=${label} onClick=${openList}>
<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M4 3h16a2 2 0 012 2v11a2 2 0 01-2 2H9l-5 4v-4a2 2 0 01-2-2V5a2 2 0 012-2z"/></svg>
${n > 0 && html`<span class="badge" aria-hidden="true">${n > 99 ? "99+" : n}</span>`}
</button>`;
}
