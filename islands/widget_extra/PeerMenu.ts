/** The open dialog's actions: favourite, block, report (each shown only if the server has it). */
import { isMissing } from "../widget/api_error.ts";
import {
  call,
  errorText,
  findContacts,
  html,
  Icon,
  notify,
  person,
  S,
  setMuted,
  t,
  update,
} from "./core.ts";
import { MENU } from "../widget/icons.ts";

/** Adds or removes `peer` from favourites, or blocks / unblocks them (`kind`). */
export async function toggleMark(peer: string, kind: "favourite" | "blocked") {
  const p = person(peer);
  // The menu closes at once: left open until the answer, a click meant to reopen it closed it.
  S.menu = "";
  update();
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

/** The ⋮ menu of the dialog with `peer` (also the sound switch: the bar has no room for it). */
export function PeerMenu({ peer }: { peer: string }) {
  const p = person(peer);
  const open = S.menu === "peer";
  const toggle = () => {
    S.menu = open ? "" : "peer";
    S.focus = ".menu button";
    update();
  };
  const report = () => {
    S.menu = "";
    S.report = { peer };
    S.focus = ".rform input";
    update();
  };
  const mark = (kind: "favourite" | "blocked") =>
    html`
      <button role="menuitemcheckbox" class=${kind} aria-checked=${!!p[kind]}
        onClick=${() => toggleMark(peer, kind)}>${t(
          kind === "favourite" ? "fav" : "block",
        )}</button>
    `;
  return html`<div class="menuwrap">
<button class="icon more" aria-label=${t("actions")} title=${
    t("actions")
  } aria-haspopup="menu" aria-expanded=${open} onClick=${toggle}>${Icon(MENU)}</button>
${
    open &&
    html`
      <div class="menu"
        role="menu">${S.feat.marks &&
          [
            mark("favourite"),
            mark("blocked"),
          ]}<button role="menuitemcheckbox" class="sound" aria-checked=${!S
          .muted} onClick=${() => (S
            .menu = "",
            setMuted(!S.muted))}>${t("sound")}</button>${S.feat.report &&
          html`<button role="menuitem" class="report" onClick=${report}>${
            t("report")
          }</button>`}</div>
    `
  }
</div>`;
}
