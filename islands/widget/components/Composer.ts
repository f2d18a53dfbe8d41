/**
 * The message box: Enter sends, Shift+Enter starts a new line; the outbox sends messages in
 * order, and above the box shows the message being answered and an image waiting for its caption. The text is kept as a draft per dialog (islands/widget/drafts.ts).
 * An image can be picked, pasted or dropped. Read-only users see the host's banner instead,
 * system dialogs, users the host does not know and blocked users a note.
 */
import { draft, setDraft } from "../drafts.ts";
import { errorText, t } from "../i18n.ts";
import { html } from "../html.ts";
import { extra, withExtra } from "../lazy.ts";
import { person, S, update } from "../store.ts";
import { SEND } from "../icons.ts";
import { Icon } from "./Icon.ts";

/** Sends dropped, pasted or picked files (the upload code is one of the extra parts). */
export function sendFiles(files?: FileList | null) {
  const peer = S.peer!;
  if (files?.length) withExtra((x) => x.sendFiles(peer, [...files]));
}

function submit(e: Event) {
  e.preventDefault();
  const peer = S.peer!;
  const text = draft(peer).trim();
  const box = (e.currentTarget as HTMLFormElement).elements.namedItem("text") as HTMLElement;
  box.focus();
  if ([...text].length > S.feat.max_text) {
    S.sendError = errorText({ code: "text_too_long" });
    return update();
  }
  // The outbox (islands/widget_chat/outbox.ts) sends it, in order, until it is stored; the box
  // empties once it has it (a draft stays if that script cannot load).
  withExtra((x) => x.send(peer, text) && (setDraft(peer, ""), box.style.height = ""));
}

function onKey(e: KeyboardEvent) {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    (e.currentTarget as HTMLTextAreaElement).form!.requestSubmit();
  }
}

function onInput(e: Event) {
  const box = e.currentTarget as HTMLTextAreaElement;
  box.style.height = "";
  box.style.height = Math.min(box.scrollHeight + 2, 120) + "px";
  setDraft(S.peer!, box.value);
  if (box.value.trim()) extra?.typing(S.peer!);
  update();
}

function onPaste(e: ClipboardEvent) {
  if (e.clipboardData?.files.length) {
    e.preventDefault();
    sendFiles(e.clipboardData.files);
  }
}

/** The composer of the dialog with `peer`, or the note that replaces it. */
export function Composer({ peer }: { peer: string }) {
  const p = person(peer);
  if (peer === "system" || p.unknown) {
    return html`<p class="note">${t(p.unknown ? "unknown" : "system")}</p>`;
  }
  if (S.me?.read_only) return html`<p class="note warn" role="alert">${S.me.error}</p>`;
  if (p.blocked) {
    return html`<p class="note">${t("youBlocked")} ${
      S.feat.marks &&
      html`<button class="link unblock" onClick=${() =>
        withExtra((x) => x.toggleMark(peer, "blocked"))}>${t("unblock")}</button>`
    }</p>`;
  }
  const n = [...draft(peer)].length;
  const max = S.feat.max_text;
  return html`<form class="composer" onSubmit=${submit}>
${S.upload && extra && html`<${extra.UploadBar} />`}
${extra && html`<${extra.ReplyBar} peer=${peer} />`}
${S.sendError && html`<p class="err" role="alert">${S.sendError}</p>`}
<div class="inrow">${S.feat.upload && extra && html`<${extra.Attach} />`}${
    extra && html`<${extra.Emoji} />`
  }<textarea name="text" rows="1" placeholder=${t("placeholder")} aria-label=${
    t("placeholder")
  } value=${
    draft(peer)
  } onKeyDown=${onKey} onInput=${onInput} onPaste=${onPaste}></textarea><button class="icon send" aria-label=${
    t("send")
  } title=${t("send")}>${Icon(SEND)}</button></div>
${
    n > max - 100 &&
    html`<p class=${n > max ? "count err" : "count"} aria-live="polite">${n} / ${max}</p>`
  }
</form>`;
}
