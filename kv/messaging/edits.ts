/**
 * A sender editing or deleting their own message within the owner's window
 * (`PARLEY_EDIT_WINDOW_SECONDS`). An edit rewrites the text in one atomic with the dialog
 * previews (when it is the last message), drops the message's cached translations, and logs a
 * `message_edited {message}` event for both members; the earlier texts stay on the stored record
 * (`edit_history`, unmasked) for admins. A delete goes through the moderation delete (one atomic
 * with every index and a `message_deleted {id, from, to}` event) with its own audit action.
 */
import { ApiError, forbidden, notFound } from "../../services/core/errors.ts";
import { commitWithRetry } from "../atomic.ts";
import { keys, type Pair } from "../keys.ts";
import { deleteMessage } from "../moderation/actions.ts";
import { publishAdmin } from "../moderation/admin_feed.ts";
import type { EditRecord, Message, MessageRef } from "../types.ts";
import type { DialogSide } from "./dialogs.ts";
import { addEvents, readSeqs } from "./events.ts";
import { publicMessage } from "./messages.ts";

/** Earlier texts kept per message (each up to 4,000 characters: well within a 64 KiB value). */
const HISTORY = 8;

/** A stored message as admins see it after edits. */
export type EditedMessage = Message & {
  edit_history?: EditRecord[];
  original_text?: string;
  masked?: boolean;
};

/** The message `id` if `uid` sent it and may still change it; else the API error saying why. */
async function ownMessage(kv: Deno.Kv, id: string, uid: string, windowSeconds: number) {
  const ref = await kv.get<MessageRef>(keys.messageRef(id));
  const p: Pair | null = ref.value && [ref.value.lo, ref.value.hi];
  const entry = p && await kv.get<EditedMessage>(keys.message(p, id));
  const m = entry?.value;
  if (!p || !m || (m.from !== uid && m.to !== uid)) throw notFound("message", "id");
  if (m.from !== uid || m.kind === "system") {
    throw forbidden("not_your_message", "only the sender can change a message");
  }
  if (!windowSeconds || Date.now() - Date.parse(m.created_at) > windowSeconds * 1000) {
    throw new ApiError(
      409,
      "edit_window_passed",
      `messages can be changed for ${windowSeconds} s after sending`,
      "id",
    );
  }
  return { p, entry: entry!, m };
}

/**
 * Replaces the text of `uid`'s message `id` with `text` (already masked by the content filters;
 * `extra` carries the unmasked original for admins, as at send time). Returns the public message.
 */
export async function editMessage(
  kv: Deno.Kv,
  id: string,
  uid: string,
  windowSeconds: number,
  input: { text: string; extra?: Record<string, unknown> },
): Promise<Message> {
  let stored!: EditedMessage;
  const out = await commitWithRetry(async () => {
    const { p, entry, m } = await ownMessage(kv, id, uid, windowSeconds);
    const now = new Date().toISOString();
    const before: EditRecord = { text: m.original_text ?? m.text, replaced_at: now };
    const { original_text: _o, masked: _m, ...rest } = m;
    stored = {
      ...rest,
      text: input.text,
      edited_at: now,
      edit_history: [...m.edit_history ?? [], before].slice(-HISTORY),
      ...input.extra,
    };
    const sides = await kv.getMany<DialogSide[]>([
      keys.dialog(m.from, m.to),
      keys.dialog(m.to, m.from),
    ]);
    const seqs = await readSeqs(kv, [m.from, m.to]);
    const op = kv.atomic().check(entry, ...sides).set(keys.message(p, id), stored);
    for (const side of sides) {
      if (side.value?.last_id !== id || !side.value.last_message) continue;
      const last_message = { ...side.value.last_message, text: input.text.slice(0, 200) };
      op.set(side.key, { ...side.value, last_message });
    }
    for await (const t of kv.list({ prefix: keys.translations(id) })) op.delete(t.key);
    const message = publicMessage(stored);
    addEvents(op, seqs, [
      { uid: m.from, type: "message_edited", data: { message } },
      { uid: m.to, type: "message_edited", data: { message } },
    ]);
    return { op, result: message };
  });
  // The monitor gets the stored record: the new text, the mark and the earlier texts.
  await publishAdmin(kv, [{ type: "message_edited", data: { message: stored } }]);
  return out!;
}

/** Deletes `uid`'s own message `id` for both members (within the window). */
export async function deleteOwnMessage(
  kv: Deno.Kv,
  id: string,
  uid: string,
  windowSeconds: number,
): Promise<{ id: string; from: string; to: string }> {
  await ownMessage(kv, id, uid, windowSeconds);
  const done = await deleteMessage(kv, id, uid, "", "message.delete_own");
  if (!done) throw notFound("message", "id");
  const data = { id, from: done.message.from, to: done.message.to };
  await publishAdmin(kv, [{ type: "message_deleted", data: { ...data, by: uid } }]);
  return data;
}
