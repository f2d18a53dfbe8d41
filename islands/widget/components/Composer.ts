/**
 * The message box: Enter sends, Shift+Enter starts a new line; an image can be picked, pasted or
 * dropped, and shows an upload bar with cancel. Read-only users see the host's banner instead,
 * system dialogs and blocked users a note.
 */
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { extra, withExtra } from "../lazy.ts";
import { person, S } from "../store.ts";
import { sendText, typing } from "../threads.ts";

/** The first image among dropped, pasted or picked files, if the server takes images. */
export function imageOf(files?: FileList | null): File | undefined {
  return S.feat.upload ? [...files ?? []].find((f) => /^image\//.test(f.type)) : undefined;
}

/** Sends an image into the open dialog (the upload code is one of the extra parts). */
export function sendImage(file?: File) {
  const peer = S.peer!;
  if (file) withExtra((x) => x.sendImage(peer, file));
}

async function submit(e: Event) {
  e.preventDefault();
  const form = e.currentTarget as HTMLFormElement;
  const box = form.elements.namedItem("text") as HTMLTextAreaElement;
  const text = box.value.trim();
  if (!text || form.dataset.busy) return;
  form.dataset.busy = "1";
  box.value = "";
  box.style.height = "";
  if (!await sendText(S.peer!, text)) box.value = text + box.value;
  delete form.dataset.busy;
  box.focus();
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
  if (box.value.trim()) typing(S.peer!);
}

function onPaste(e: ClipboardEvent) {
  const file = imageOf(e.clipboardData?.files);
  if (file) {
    e.preventDefault();
    sendImage(file);
  }
}

function onPick(e: Event) {
  const input = e.currentTarget as HTMLInputElement;
  const file = input.files?.[0];
  input.value = "";
  sendImage(file);
}

/** The composer of the dialog with `peer`, or the note that replaces it. */
export function Composer({ peer }: { peer: string }) {
  if (peer === "system") return html`<p class="note">${t("system")}</p>`;
  if (S.me?.read_only) return html`<p class="note warn" role="alert">${S.me.error}</p>`;
  if (person(peer).blocked) {
    return html`<p class="note">${t("youBlocked")} ${
      S.feat.marks &&
      html`<button class="link unblock" onClick=${() =>
        withExtra((x) => x.toggleMark(peer, "blocked"))}>${t("unblock")}</button>`
    }</p>`;
  }
  return html`<form class="composer" onSubmit=${submit}>
${S.upload && extra && html`<${extra.UploadBar} />`}
${S.sendError && html`<p class="err" role="alert">${S.sendError}</p>`}
<div class="inrow">${
    S.feat.upload && html`
      <label class="icon attach"
        title=${t("attach")}>+<input type="file" accept="image/*" class="sr" aria-label=${t(
          "attach",
        )} onChange=${onPick} /></label>
    `
  }<textarea name="text" rows="1" maxlength=${S.feat.max_text} placeholder=${
    t("placeholder")
  } aria-label=${
    t("placeholder")
  } onKeyDown=${onKey} onInput=${onInput} onPaste=${onPaste}></textarea><button class="icon send" aria-label=${
    t("send")
  } title=${t("send")}>➤</button></div>
</form>`;
}
