/** The chat panel (a dialog; full screen on narrow screens): top bar, banner, list or dialog. */
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { closePanel } from "../panel_actions.ts";
import { extra } from "../lazy.ts";
import { setMuted } from "../sound.ts";
import { S, update } from "../store.ts";
import { SHEET } from "../sheet.ts";
import { CLOSE, MUTED, SOUND } from "../icons.ts";
import { Banner } from "./Banner.ts";
import { DialogList } from "./DialogList.ts";
import { DialogView } from "./DialogView.ts";
import { Icon } from "./Icon.ts";
import { PeerHeader } from "./PeerHeader.ts";

/** Esc closes the innermost thing open: image, menu, report form, then the panel. */
function onKey(e: KeyboardEvent) {
  if (e.key !== "Escape" || e.isComposing) return extra?.panelKey(e);
  e.stopPropagation();
  if (!(S.lightbox || S.menu || S.report)) return closePanel();
  S.lightbox = S.menu = "";
  S.report = null;
  S.focus = S.peer ? "textarea" : "[data-first]";
  update();
}

/**
 * The open panel. In a dialog the name needs the top bar's width (at 370 px five icons left it
 * "Ali…", at 360 px nothing): sound and notifications switch from the list, or from the dialog's menu.
 */
export function Panel() {
  const peer = S.peer;
  return html`
    <section class="panel" role="dialog" aria-modal=${matchMedia(SHEET)
      .matches} aria-labelledby="pw-title"
      onKeyDown=${onKey}>
        <div class="top">${peer
          ? html`<${PeerHeader} peer=${peer} />`
          : html`<h2 id="pw-title" class="grow">${t("title")}</h2>`}${extra &&
          html`<${extra.TopParts} />`}${!peer && html`
          <button class="icon mute" aria-pressed=${!!S
            .muted} aria-label=${t(
              "mute",
            )} title=${t(
              "mute",
            )}
            onClick=${() => setMuted(!S.muted)}>${Icon(S.muted ? MUTED : SOUND)}</button>
        `}
        <button class="icon close" aria-label=${t("close")} title=${t(
          "close",
        )} onClick=${closePanel}>${Icon(CLOSE)}</button>
        </div>
        <${Banner} />
        ${S.me &&
          (peer ? html`<${DialogView} key=${peer} peer=${peer} />` : html`<${DialogList} />`)}
        ${S.lightbox && extra && html`<${extra.Lightbox} />`}
    ${extra && html`<${extra.Sheet} />`}
        </section>
  `;
}
