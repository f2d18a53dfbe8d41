/**
 * One message: text (always as text, never HTML), image thumbnail that opens full size, time, one
 * tick when stored and two when read; on received messages, translate and report actions (from
 * the extra parts).
 */
import { hhmm } from "../format.ts";
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { imageUrl } from "../images.ts";
import { extra, withExtra } from "../lazy.ts";
import { S } from "../store.ts";
import type { Attachment, Message } from "../types.ts";

function Thumb({ a }: { a: Attachment }) {
  const url = imageUrl(a.id);
  // Thumbnails fit 220 × 220 CSS pixels; width and height are set so nothing jumps on load.
  const k = Math.min(1, 220 / a.width, 220 / a.height);
  // The viewer is one of the extra parts.
  const open = () => withExtra((x) => x.openImage(url));
  return html`
    <button class="thumb" aria-label=${t("image")}
      onClick=${open}><img src=${url || undefined} alt="" width=${a.width * k | 0} height=${a
            .height * k | 0} /></button>
  `;
}

/** One message of the open dialog (`cont`: it follows one of the same group). */
export function MessageBubble({ m, cont }: { m: Message; cont?: boolean }) {
  const mine = m.from === S.me?.user_id;
  const system = m.kind === "system";
  const tr = S.translations[m.id];
  return html`<div class=${
    (system ? "msg sys" : mine ? "msg me" : "msg them") + (cont ? " cont" : "")
  } data-id=${m.id} tabindex="-1" onContextMenu=${(e: Event) => extra?.openMenu(e, m)}>
${m.reply_to && extra && html`<${extra.Quote} q=${m.reply_to} />`}
${m.attachment && html`<${Thumb} a=${m.attachment} />`}
${
    S.editing === m.id && extra
      ? html`<${extra.EditBox} m=${m} />`
      : m.text && html`<p class="text">${S.text ? S.text(m.text) : m.text}</p>`
  }
${tr && html`<p class="tr">${tr}</p>`}
<div class="meta">${m.edited_at && t("edited") + " "}<time datetime=${m.created_at}>${
    hhmm(m.created_at)
  }</time>${
    mine &&
    html`<span class=${m.read_at ? "ticks read" : "ticks"} role="img" aria-label=${
      t(m.read_at ? "read" : "sent")
    }>${m.read_at ? "✓✓" : "✓"}</span>`
  }</div>
${!system && extra && html`<${extra.MessageActions} m=${m} />`}
</div>`;
}
