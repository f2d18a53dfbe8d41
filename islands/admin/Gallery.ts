/** Messages with attachments, newest first; each tile opens its dialog at that message. */
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { Thumb } from "./MessageItem.ts";
import { loadMessages } from "./messages.ts";
import { Pager, usePaged } from "./paged.ts";
import { useStore } from "./store.ts";

export function Gallery() {
  const s = useStore();
  const list = usePaged((cursor) => loadMessages({ attachments: true, limit: 30 }, cursor), []);
  return html`
    <section class="pa-view">
      <p class="pa-muted">${t("newestFirst")}</p>
      <ul class="pa-gallery">
          ${list.items.filter((m) => !s.deleted.has(m.id)).map((m) =>
            html`
              <li key=${m.id} class="pa-tile">
                <a href=${link("dialog", m.from, m.to, m.id)}>
                  <${Thumb} m=${m} big=${true} />
                  <span class="pa-tile-caption">
                            ${s.name(m.from)} → ${s.name(m.to)}<br />
                            <span class="pa-muted">${when(m.created_at)}</span>
                          </span>
                </a>
              </li>
            `
          )}
        </ul>
      <${Pager} list=${list} empty=${t("noImages")} />
    </section>
  `;
}
