/** The open dialog's top bar: back, avatar, name (linked to the host profile), status, actions. */
import { ago } from "../format.ts";
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { profileUrl } from "../links.ts";
import { extra } from "../lazy.ts";
import { openList } from "../panel_actions.ts";
import { nameOf, person, S } from "../store.ts";
import { BACK } from "../icons.ts";
import { Avatar } from "./Avatar.ts";
import { Icon } from "./Icon.ts";

/** "typing…", "online", "seen 5 minutes ago" or nothing. */
export function statusOf(peer: string): string {
  const p = person(peer);
  return S.typing[peer] > Date.now()
    ? t("typing")
    : p.online
    ? t("online")
    : p.last_seen
    ? t("lastSeen", { t: ago(p.last_seen) })
    : "";
}

/** Top bar content of the dialog with `peer`. */
export function PeerHeader({ peer }: { peer: string }) {
  const url = profileUrl(person(peer).user);
  const name = nameOf(peer);
  return html`
    <button class="icon back" aria-label=${t("back")} title=${t(
      "back",
    )}
      onClick=${openList}>${Icon(BACK)}</button>
    <${Avatar} uid=${peer} />
    <div class="grow">
      <h2 id="pw-title">${url
        ? html`<a href=${url} target="_blank" rel="noopener">${name}</a>`
        : name}</h2>
      <div class="status">${statusOf(peer)}</div>
    </div>
    ${extra && html`<${extra.Search} peer=${peer} />`}
    ${peer !== "system" && (S.feat.marks || S.feat.report) && extra &&
      html`<${extra.PeerMenu} peer=${peer} />`}
  `;
}
