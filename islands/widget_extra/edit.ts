/**
 * Editing and deleting one's own message (within the server's `edit_window_seconds`): the
 * message menu's "Edit" puts an inline box in place of the text (Enter saves, Esc cancels),
 * "Delete" asks first. The answers and the peers' live events go through `onEdited` (handed
 * `message_edited` by islands/widget_extra/events.ts) / the `message_deleted` handling, so every
 * tab shows the same.
 */
import type { Message } from "../widget/types.ts";
import { call, errorText, html, notify, S, t, update } from "./core.ts";

/** A message its sender edited (live, or this tab's own PATCH answer): the new text in place. */
export function onEdited(m: Message) {
  const peer = m.from === S.me?.user_id ? m.to : m.from;
  const th = S.threads[peer];
  if (th) th.msgs = th.msgs.map((x) => x.id === m.id ? { ...m, read_at: x.read_at } : x);
  const row = S.rows.get(peer);
  if (row?.last?.id === m.id) row.last = { ...row.last, text: m.text };
  update();
}

/** Whether this user may still edit or delete `m` (their own, within the window). */
export function canChange(m: Message): boolean {
  const w = S.feat.edit_window_seconds ?? 0;
  return m.from === S.me?.user_id && m.kind !== "system" &&
    Date.now() - Date.parse(m.created_at) < w * 1000;
}

/** Opens the inline editor on `m`. */
export function startEdit(m: Message) {
  S.menu = "";
  S.editing = m.id;
  S.focus = ".edit textarea";
  update();
}

function stop() {
  S.editing = "";
  S.focus = "[name=text]";
  update();
}

async function save(m: Message, text: string) {
  if (text.trim() === m.text) return stop();
  try {
    const r = await call<{ message: Message }>("PATCH", `/api/v1/messages/${m.id}`, { text });
    onEdited(r.message);
    stop();
  } catch (e) {
    notify(errorText(e), true);
  }
}

/** Deletes `m` for both members after asking. */
export async function deleteOwn(m: Message) {
  S.menu = "";
  update();
  if (!confirm(t("deleteQ"))) return;
  try {
    await call("DELETE", `/api/v1/messages/${m.id}`);
  } catch (e) {
    notify(errorText(e), true);
  }
}

/** The inline editor of `m`'s text. */
export function EditBox({ m }: { m: Message }) {
  const submit = (e: Event) => {
    e.preventDefault();
    const box = (e.currentTarget as HTMLFormElement).elements.namedItem("t") as HTMLTextAreaElement;
    save(m, box.value);
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === "Escape") e.stopPropagation(), stop();
    else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      (e.currentTarget as HTMLTextAreaElement).form!.requestSubmit();
    }
  };
  return html`
    <form class="edit" onSubmit=${submit}>
      <textarea name="t" aria-label=${t("editMsg")} defaultValue=${m.text}
        onKeyDown=${key}></textarea>
      <div
        class="btns"><button type="button" class="link" onClick=${stop}>${t(
          "cancel",
        )}</button><button class="primary">${t("save")}</button></div>
    </form>
  `;
}
