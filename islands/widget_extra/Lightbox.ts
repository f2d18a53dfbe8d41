/** An image at full size over the panel; a click (or Esc, see Panel) closes it. */
import { html, Icon, S, t, update } from "./core.ts";
import { CLOSE } from "../widget/icons.ts";

/** Shows the image at `url` full size. */
export function openImage(url: string) {
  S.lightbox = url;
  S.focus = ".lb button";
  update();
}

function close() {
  S.lightbox = "";
  update();
}

/** The image viewer for `S.lightbox`. */
export function Lightbox() {
  return html`<div class="lb" role="dialog" aria-label=${t("image")} onClick=${close}>
<img src=${S.lightbox} alt=${t("image")} /><button class="icon" aria-label=${t("close")}>${
    Icon(CLOSE)
  }</button>
</div>`;
}
