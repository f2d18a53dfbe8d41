/** One message as moderators see it: who to whom, when, text, original if masked, image, actions. */
import { useState } from "preact/hooks";
import { attachmentUrl, call } from "./api.ts";
import { bytes, link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { type Msg, useStore } from "./store.ts";

/** The image of a message; a tile with its type and size if it cannot be shown. */
export function Thumb({ m, big }: { m: Msg; big?: boolean }) {
  const [failed, setFailed] = useState(false);
  const a = m.attachment!;
  if (failed) {
    return html`<span class="pa-thumb pa-thumb-missing">${t("image")} ${a.width}×${a.height}, ${
      bytes(a.size)
    }</span>`;
  }
  return html`
    <img
      class=${big ? "pa-thumb pa-thumb-big" : "pa-thumb"}
      src=${attachmentUrl(a.id)}
      alt=${`${t("image")} ${a.width}×${a.height}`}
      loading="lazy"
      onError=${() => setFailed(true)}
    />
  `;
}

export async function deleteMessage(id: string, markDeleted: (id: string) => void) {
  if (!confirm(t("confirmDelete"))) return;
  try {
    await call("DELETE", `/api/v1/admin/messages/${encodeURIComponent(id)}`);
    markDeleted(id);
  } catch (e) {
    alert((e as Error).message);
  }
}

export function MessageItem({ m, highlight }: { m: Msg; highlight?: boolean }) {
  const s = useStore();
  const gone = s.deleted.has(m.id);
  const cls = "pa-msg" + (highlight ? " pa-hl" : "") + (gone ? " pa-gone" : "");
  return html`<article class=${cls} data-id=${m.id}>
    <header class="pa-msg-head">
      <time datetime=${m.created_at}>${when(m.created_at)}</time>
      <span class="pa-who">
        <a href=${link("user", m.from)}>${s.name(m.from)}</a>
        <span aria-hidden="true"> → </span>
        <a href=${link("user", m.to)}>${s.name(m.to)}</a>
      </span>
      ${m.kind === "system" && html`<span class="pa-badge">${t("system")}</span>`}
      ${m.masked && html`<span class="pa-badge pa-warn">${t("masked")}</span>`}
      <span class="pa-muted">${m.read_at ? t("read") : t("unread")}</span>
    </header>
    ${m.text && html`<p class="pa-text">${m.text}</p>`}
    ${
    m.original_text !== undefined && m.original_text !== m.text &&
    html`<p class="pa-orig"><b>${t("original")}:</b> ${m.original_text}</p>`
  }
    ${m.attachment && html`<${Thumb} m=${m} />`}
    <footer class="pa-msg-foot">
      <a href=${link("dialog", m.from, m.to, m.id)}>${t("openDialog")}</a>
      ${
    gone
      ? html`<span class="pa-badge pa-warn">${t("deleted")}</span>`
      : html`<button class="pa-danger" onClick=${() =>
        deleteMessage(m.id, (id) => s.markDeleted(id))}>${t("delete")}</button>`
  }
    </footer>
  </article>`;
}
