/** One dialog in the list: avatar with online dot, name, last message, time, unread badge. */
import { listTime } from "../format.ts";
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { openDialog } from "../panel_actions.ts";
import { nameOf, S } from "../store.ts";
import { Avatar } from "./Avatar.ts";
import { statusOf } from "./PeerHeader.ts";

/** The row of the dialog with `peer`; opens it on click or Enter. */
export function DialogRow({ peer }: { peer: string }) {
  const last = S.rows.get(peer)?.last;
  const n = S.unread[peer];
  const status = statusOf(peer);
  return html`
    <button class=${n ? "row unread" : "row"} title=${status} onClick=${() => openDialog(peer)}>
      <${Avatar} uid=${peer} />
      <span
        class="grow"><span class="name">${nameOf(
          peer,
        )}</span><span class="prev">${S.typing[peer] > Date.now()
          ? status
          : last && (last.from === peer ? "" : t("you")) + (last.text || t("photo"))}</span></span>
      <span class="side">${last && listTime(last.created_at)}${n > 0 &&
        html`<span class="badge" aria-hidden="true">${n}</span>`}</span>
      <span class="sr">${[", ", status, n > 0 && t("unreadN", { n })].filter(Boolean).join(
        " ",
      )}</span>
    </button>
  `;
}
