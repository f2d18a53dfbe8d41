/** The round button that opens the chat, with the unread badge. */
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { openList } from "../panel_actions.ts";
import { S, unreadTotal } from "../store.ts";
import { CHAT } from "../icons.ts";
import { Icon } from "./Icon.ts";

/** The launcher; its label says the unread count too. */
export function Launcher() {
  const n = unreadTotal();
  const label = S.me ? t("open") + (n ? ", " + t("unreadN", { n }) : "") : t("reload");
  return html`<button class=${
    "launcher " + S.conn
  } aria-label=${label} title=${label} onClick=${openList}>
${Icon(CHAT)}
${n > 0 && html`<span class="badge" aria-hidden="true">${n > 99 ? "99+" : n}</span>`}
</button>`;
}
