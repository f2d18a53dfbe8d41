/** One message as moderators see it: who to whom, when, text, original if masked, image, actions. */
import { useState } from "preact/hooks";
import { attachmentUrl, call } from "./api.ts";
import { bytes, link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { FullImage } from "./FullImage.ts";
import { memo } from "./memo.ts";
import { isFullAdmin } from "./role.ts";
import { type Msg, store, useDeleted, useName, useRead } from "./store.ts";

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
      src=${attachmentUrl(a.id, Boolean(big && a.thumb))}
      alt=${`${t("image")} ${a.width}×${a.height}`}
      loading="lazy"
      onError=${() => setFailed(true)}
    />
  `;
}

/** A row's image as a button that opens it full size. */
function RowImage({ m }: { m: Msg }) {
  const [open, setOpen] = useState(false);
  return html`
    <button class="pa-thumb-button" aria-haspopup="dialog" onClick=${() => setOpen(true)}
      title=${t("fullSize")}>
      <${Thumb} m=${m} />
    </button>
    ${open && html`<${FullImage} m=${m} onClose=${() => setOpen(false)} />`}
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

/** A text this long (or with line breaks) starts collapsed to two lines, with "more". */
const LONG = 180;

/** Counts row renders when a test asks (window.__parleyAdminRenders = 0): one per message. */
function countRender() {
  const g = globalThis as { __parleyAdminRenders?: number };
  if (g.__parleyAdminRenders !== undefined) g.__parleyAdminRenders++;
}

/** "Name #id": two users with one name still look different. */
export function Who({ id }: { id: string }) {
  const name = useName(id);
  const tag = name !== id ? [" ", html`<span class="pa-id">#${id}</span>`] : null;
  // Moderators have no user view (it lists private messages): the name without a link.
  if (!isFullAdmin()) return html`<span>${name}${tag}</span>`;
  return html`<a href=${link("user", id)}>${name}${tag}</a>`;
}

/** `side` draws the row as a chat bubble: "a" on the left, "b" on the right. */
function Row({ m, highlight, side }: { m: Msg; highlight?: boolean; side?: "a" | "b" }) {
  countRender();
  const gone = useDeleted(m.id);
  const read = useRead(m);
  const long = m.text.length > LONG || m.text.includes("\n");
  const [open, setOpen] = useState(false);
  const cls = "pa-msg" + (highlight ? " pa-hl" : "") + (gone ? " pa-gone" : "") +
    (side ? ` pa-bubble pa-side-${side}` : "");
  return html`<article class=${cls} data-id=${m.id} data-nav tabindex="-1">
    <header class="pa-msg-head">
      <time datetime=${m.created_at}>${when(m.created_at)}</time>
      <span class="pa-who">
        <${Who} id=${m.from} /><span aria-hidden="true"> → </span><${Who} id=${m.to} />
      </span>
      ${m.kind === "system" && html`<span class="pa-badge">${t("system")}</span>`}
      ${m.masked && html`<span class="pa-badge pa-warn">${t("masked")}</span>`}
      <span class="pa-muted">${read ? t("read") : t("unread")}</span>
      <span class="pa-msg-acts">
        ${
    isFullAdmin() && html`<a href=${link("dialog", m.from, m.to, m.id)}>${t("openDialog")}</a>`
  }
        ${
    gone
      ? html`<span class="pa-badge pa-warn">${t("deleted")}</span>`
      : html`<button class="pa-danger pa-small" onClick=${() =>
        deleteMessage(m.id, (id) => store.markDeleted(id))}>${t("delete")}</button>`
  }
      </span>
    </header>
    ${
    m.reply_to &&
    html`<p class="pa-muted pa-reply">${t("replyTo")} <${Who} id=${m.reply_to.from} />: ${
      m.reply_to.text || "…"
    }</p>`
  }
    ${m.text && html`<p class=${long && !open ? "pa-text pa-clamp" : "pa-text"}>${m.text}</p>`}
    ${
    long &&
    html`<button class="pa-link pa-small" aria-expanded=${open} onClick=${() => setOpen(!open)}>
      ${open ? t("less") : t("more")}
    </button>`
  }
    ${
    m.original_text !== undefined && m.original_text !== m.text &&
    html`<p class="pa-orig"><b>${t("original")}:</b> ${m.original_text}</p>`
  }
    ${m.attachment && html`<${RowImage} m=${m} />`}
  </article>`;
}

/**
 * One message as a compact row. Memoised, and it listens only to its own names and deletion, so
 * a new message renders one new row and leaves every other row alone.
 */
export const MessageItem = memo(Row);
