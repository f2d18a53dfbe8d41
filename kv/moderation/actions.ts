/** Moderation: deleting a message everywhere it is referenced, audited (bans: bans.ts). */
import { movePairActivity } from "./message_index.ts";
import { commitWithRetry } from "../atomic.ts";
import { addAudit, type AuditRow } from "./audit.ts";
import { type DialogSide, preview } from "../messaging/dialogs.ts";
import { MESSAGE_PARTS, resolve } from "../privacy/families.ts";
import { addEvents, readSeqs } from "../messaging/events.ts";
import { keys, type Pair } from "../keys.ts";
import type { Message, MessageRef } from "../types.ts";

/** The newest message of the dialog older than `id`, as an entry (so the delete can check it). */
async function newestBefore(kv: Deno.Kv, p: Pair, id: string) {
  const iter = kv.list<Message>(
    { prefix: keys.messages(p), end: keys.message(p, id) },
    { reverse: true, limit: 1 },
  );
  for await (const e of iter) return e;
  return null;
}

export interface DeletedMessage {
  message: Message;
  audit: AuditRow;
}

/**
 * Deletes a message in one atomic: the record, its id index, its admin index entries, its
 * attachment (metadata and chunks), the dialog previews and activity if it was the last message,
 * the recipient's unread count if it was unread, a `message_deleted` event `{id, from, to}` in
 * both users' logs, and an audit row. Returns null if there is no such message.
 */
export async function deleteMessage(
  kv: Deno.Kv,
  id: string,
  by: string,
  note = "",
  /** The audit action: a moderator's delete, or the sender's own (kv/messaging/edits.ts). */
  action: "message.delete" | "message.delete_own" = "message.delete",
): Promise<DeletedMessage | null> {
  return await commitWithRetry(async () => {
    const refEntry = await kv.get<MessageRef>(keys.messageRef(id));
    if (!refEntry.value) return null;
    const p: Pair = [refEntry.value.lo, refEntry.value.hi];
    const msgEntry = await kv.get<Message>(keys.message(p, id));
    const m = msgEntry.value;
    if (!m) return null;
    const [fromEntry, toEntry] = await kv.getMany<DialogSide[]>([
      keys.dialog(m.from, m.to),
      keys.dialog(m.to, m.from),
    ]);
    const wasLast = fromEntry.value?.last_id === id || toEntry.value?.last_id === id;
    // Checked too: another admin deleting it at the same time must not leave a dangling preview.
    const newLast = wasLast ? await newestBefore(kv, p, id) : null;
    const seqs = await readSeqs(kv, [m.from, m.to]);
    // Everything hanging off the message (id ref, admin indexes, image, translations): the
    // same list erase and retention use, so the three cannot drift apart.
    const parts: Deno.KvKey[] = [];
    for await (const e of resolve(kv, MESSAGE_PARTS.flatMap((f) => f(m)))) parts.push(e.key);

    const op = kv.atomic().check(refEntry, msgEntry, fromEntry, toEntry);
    if (newLast) op.check(newLast);
    op.delete(keys.message(p, id));
    for (const k of parts) op.delete(k);
    const sides: [string, string, DialogSide | null, boolean][] = [
      [m.from, m.to, fromEntry.value, false],
      [m.to, m.from, toEntry.value, true],
    ];
    for (const [owner, peer, side, incoming] of sides) {
      if (!side) continue;
      const next: DialogSide = { ...side };
      if (side.last_id === id) {
        op.delete(keys.dialogByTime(owner, id, peer));
        next.last_id = newLast?.value.id ?? null;
        next.last_message = newLast ? preview(newLast.value) : null;
        if (newLast) op.set(keys.dialogByTime(owner, newLast.value.id, peer), peer);
      }
      const unread = incoming && (!side.read_up_to || id > side.read_up_to);
      if (unread && side.unread > 0) {
        next.unread = side.unread - 1;
        if (next.unread > 0) op.set(keys.unread(owner, peer), next.unread);
        else op.delete(keys.unread(owner, peer));
      }
      op.set(keys.dialog(owner, peer), next);
    }
    if (wasLast) movePairActivity(op, p, id, newLast?.value.id ?? null);
    const data = { id, from: m.from, to: m.to };
    addEvents(op, seqs, [
      { uid: m.from, type: "message_deleted", data },
      { uid: m.to, type: "message_deleted", data },
    ]);
    const audit = addAudit(op, {
      by,
      action,
      target: id,
      note,
      details: {
        from: m.from,
        to: m.to,
        created_at: m.created_at,
        text: m.text.slice(0, 200),
        ...(m.attachment ? { attachment: m.attachment.id } : {}),
      },
    });
    return { op, result: { message: m, audit } };
  });
}
