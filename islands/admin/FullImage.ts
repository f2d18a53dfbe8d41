/** An image at full size over the page, with a link to the original in a new tab. */
import { attachmentUrl } from "./api.ts";
import { bytes } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { Modal } from "./Modal.ts";
import type { Msg } from "./store.ts";

export function FullImage({ m, onClose }: { m: Msg; onClose: () => void }) {
  const a = m.attachment!;
  const label = `${t("image")} ${a.width}×${a.height}, ${bytes(a.size)}`;
  return html`
    <${Modal} className="pa-full" label=${label} onClose=${onClose}>
      <div class="pa-full-bar">
        <span class="pa-muted">${label}</span>
        <a href=${attachmentUrl(a.id)} target="_blank" rel="noopener">${t("openOriginal")}</a>
        <button onClick=${onClose}>${t("close")}</button>
      </div>
      <img class="pa-full-img" src=${attachmentUrl(a.id)} alt=${label} />
      </${Modal}>
  `;
}
