/**
 * Replies: "Reply" in a message's menu puts the message above the composer; the next text sent
 * quotes it (`reply_to`, kv/messaging/replies.ts). A quote shows above its bubble; clicking it
 * brings the original into view, loading older pages of the dialog until it is there.
 */
import type { Message, ReplyRef } from "../../kv/types.ts";
import { html, Icon, loadHistory, nameOf, notify, S, t, update } from "../widget_extra/core.ts";
import { CLOSE } from "../widget/icons.ts";

/** The message being answered, per dialog. */
const answering: Record<string, ReplyRef | undefined> = {};

/** The quote the next message to `peer` carries (cleared by `take`). */
export function replying(peer: string, take?: boolean): ReplyRef | undefined {
  const r = answering[peer];
  if (take) delete answering[peer];
  return r;
}

/** Starts a reply to `m` (from its menu): the quote goes above the box, the box gets focus. */
export function startReply(m: Message) {
  answering[S.peer!] = {
    id: m.id,
    from: m.from,
    // Shown on one line (the server keeps its own short snippet).
    text: m.text,
    ...(m.attachment ? { has_attachment: true as const } : {}),
  };
  S.menu = "";
  S.focus = "textarea";
  update();
}

/** The menu item that answers `m` (none where this user cannot write). */
export function replyItem(m: Message) {
  if (m.kind === "system" || S.me?.read_only || m.id.length < 20) return null;
  return html`<button role="menuitem" class="reply" onClick=${() => startReply(m)}>${
    t("reply")
  }</button>`;
}

/** Pages older history in (at most 50 pages of 200) until message `id` is loaded. */
export async function jumpTo(peer: string, id: string) {
  const has = () => S.threads[peer]?.msgs.some((m) => m.id === id);
  const size = S.opts.page_size;
  S.opts.page_size = 200;
  try {
    for (let i = 0; i < 50 && !has() && S.threads[peer]?.more; i++) {
      // A page the user's scrolling asked for is still coming: wait for it first.
      while (S.threads[peer].busy) await new Promise((r) => setTimeout(r, 50));
      await loadHistory(peer, true);
    }
  } finally {
    S.opts.page_size = size;
  }
  if (!has()) return notify(t("tooFar"));
  // Focus scrolls it into view; the focus ring marks it.
  S.focus = `[data-id="${id}"]`;
  update();
}

/** What a quote says: the snippet, "Photo" for an image alone, or that the original is gone. */
const said = (q: ReplyRef) =>
  q.deleted ? t("quoteGone") : q.text || (q.has_attachment ? t("photo") : "");

/** The author's name (this user's own too). */
const who = (uid: string) => uid === S.me?.user_id ? S.me.name : nameOf(uid);

/** The quote above a reply's bubble: author and snippet; a button that shows the original. */
export function Quote({ q }: { q: ReplyRef }) {
  return html`
    <button class="quote"
      onClick=${() => !q.deleted && jumpTo(S.peer!, q.id)}><b>${who(q.from)}</b><span>${said(
        q,
      )}</span></button>
  `;
}

/** Above the composer while answering: whom and what, and a button to cancel. */
export function ReplyBar({ peer }: { peer: string }) {
  const q = answering[peer];
  if (!q) return null;
  const cancel = () => {
    delete answering[peer];
    S.focus = "textarea";
    update();
  };
  return html`
    <div class="replybar"
      role="status"><span class="sr">${t("replyTo", {
        n: who(q.from),
      })}</span><${Quote} q=${q} /><button type="button"
        class="icon" aria-label=${t("cancelReply")} title=${t(
          "cancelReply",
        )} onClick=${cancel}>${Icon(CLOSE)}</button></div>
  `;
}
