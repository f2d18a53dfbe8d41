/**
 * Messages with attachments, newest first; each tile opens its dialog at that message, and its
 * "full size" button the image itself.
 */
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { Thumb } from "./MessageItem.ts";
import { loadMessages } from "./messages.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Msg, useLive, useStore } from "./store.ts";
import { FullImage } from "./FullImage.ts";
import { useState } from "preact/hooks";

export function Gallery() {
  const s = useStore();
  const [full, setFull] = useState<Msg | null>(null);
  const list = usePaged((cursor) => loadMessages({ attachments: true, limit: 30 }, cursor), []);
  // Live: images sent since the first page came join at the top.
  const live = useLive();
  const top = list.items[0]?.id ?? "";
  const fresh = list.loading ? [] : live.filter((m) => m.attachment && m.id > top);
  return html`
    <section class="pa-view">
      <p class="pa-muted">${t("newestFirst")}</p>
      <ul class="pa-gallery">
          ${[...fresh, ...list.items].filter((m) => !s.deleted.has(m.id)).map((m) =>
            html`
              <li key=${m.id} class="pa-tile">
                <a href=${link("dialog", m.from, m.to, m.id)} data-nav>
                  <${Thumb} m=${m} big=${true} />
                  <span class="pa-tile-caption">
                            ${s.name(m.from)} → ${s.name(m.to)}<br />
                            <span class="pa-muted">${when(m.created_at)}</span>
                          </span>
                </a>
                <button class="pa-link pa-small" onClick=${() => setFull(m)}>
                  ${t("fullSize")}
                </button>
              </li>
            `
          )}
        </ul>
      <${Pager} list=${list} empty=${t("noImages")} />
      ${full && html`<${FullImage} m=${full} onClose=${() => setFull(null)} />`}
    </section>
  `;
}
