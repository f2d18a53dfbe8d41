/**
 * Optional retention (PARLEY_RETENTION_DAYS): messages older than that are deleted with
 * everything hanging off them (MESSAGE_PARTS: id index, attachments), and the dialogs they were
 * in are repaired: an emptied dialog disappears from both users' lists, a shrunk one gets its
 * preview, activity index and unread count recomputed from what is left.
 */
import { movePairActivity } from "../moderation/message_index.ts";
import type { Config } from "../../services/core/config.ts";
import { afterCommit } from "../after_commit.ts";
import { commitWithRetry } from "../atomic.ts";
import { noteWritten } from "../local_writes.ts";
import { getManyChunked } from "../batch.ts";
import type { DialogSide } from "../messaging/dialogs.ts";
import { preview } from "../messaging/dialogs.ts";
import { MESSAGE_PARTS, resolve } from "./families.ts";
import { keys, type Pair } from "../keys.ts";
import type { Message, MessageRef } from "../types.ts";

const PAGE = 100;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The smallest ULID of millisecond `ms`: every message id below it is older. */
export function ulidFloor(ms: number): string {
  let time = "";
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  return time + "0".repeat(16);
}

/** Recomputes one user's side of a dialog from the messages left in it. */
async function repairSide(kv: Deno.Kv, p: Pair, owner: string, peer: string) {
  await commitWithRetry(async () => {
    const sideEntry = await kv.get<DialogSide>(keys.dialog(owner, peer));
    const side = sideEntry.value;
    if (!side) return null;
    const newest: Message[] = [];
    for await (
      const e of kv.list<Message>({ prefix: keys.messages(p) }, { reverse: true, limit: 1 })
    ) {
      newest.push(e.value);
    }
    const last = newest[0];
    const op = kv.atomic().check(sideEntry);
    // A send's read of this side made ahead is stale once this commits (kv/local_writes.ts).
    afterCommit(op, () => noteWritten(kv, [owner, peer]));
    // The admin's per-dialog activity entry follows the dialog's last message (once per pair).
    if (owner === p[0]) movePairActivity(op, p, side.last_id, last?.id ?? null);
    if (!last) {
      // Nothing left: the dialog leaves this user's list.
      op.delete(keys.dialog(owner, peer)).delete(keys.unread(owner, peer));
      if (side.last_id) op.delete(keys.dialogByTime(owner, side.last_id, peer));
      return { op, result: true };
    }
    const next: DialogSide = { ...side };
    if (side.last_id !== last.id) {
      if (side.last_id) op.delete(keys.dialogByTime(owner, side.last_id, peer));
      op.set(keys.dialogByTime(owner, last.id, peer), peer);
      next.last_id = last.id;
      next.last_message = preview(last);
    }
    if (side.unread > 0) {
      let unread = 0;
      const start = side.read_up_to ? keys.message(p, side.read_up_to + "\0") : undefined;
      const sel = start ? { prefix: keys.messages(p), start } : { prefix: keys.messages(p) };
      for await (const e of kv.list<Message>(sel)) if (e.value.from === peer) unread++;
      next.unread = unread;
      if (unread > 0) op.set(keys.unread(owner, peer), unread);
      else op.delete(keys.unread(owner, peer));
    }
    op.set(keys.dialog(owner, peer), next);
    return { op, result: true };
  });
}

/** Most mutations per atomic: KV allows 1,000; a message with a 5 MB image needs about 95. */
export const MAX_MUTATIONS = 900;

/** Message ids older than retention, with what hangs off each: every key to delete. */
async function doomedPage(kv: Deno.Kv, end: Deno.KvKey) {
  const refs: Deno.KvEntry<MessageRef>[] = [];
  const iter = kv.list<MessageRef>({ start: keys.messageRef(""), end }, { limit: PAGE });
  for await (const e of iter) refs.push(e);
  const msgKeys = refs.map((r) => keys.message([r.value.lo, r.value.hi], r.key[1] as string));
  const msgs = await getManyChunked<Message>(kv, msgKeys);
  const out: { p: Pair; keys: Deno.KvKey[] }[] = [];
  for (let i = 0; i < refs.length; i++) {
    const doomed: Deno.KvKey[] = [refs[i].key, msgKeys[i]];
    const m = msgs[i].value;
    if (m) {
      for await (const part of resolve(kv, MESSAGE_PARTS.flatMap((f) => f(m)))) {
        if (part.key.join("\0") !== refs[i].key.join("\0")) doomed.push(part.key);
      }
    }
    out.push({ p: [refs[i].value.lo, refs[i].value.hi], keys: doomed });
  }
  return out;
}

/**
 * Deletes every message older than `cfg.retentionDays` before `now`, oldest first, and repairs
 * the dialogs they were in. Each atomic holds whole messages (a message goes with its parts) and
 * at most MAX_MUTATIONS deletes, whatever the messages carry. The dialogs to repair are marked in
 * the same atomics, and the sweep ends by repairing every marked dialog, so a sweep that died
 * half-way is finished by the next run. Safe to run at any time and more than once; does nothing
 * when retention is off. Copies in the event logs expire on their own within three days.
 */
export async function sweepRetention(
  kv: Deno.Kv,
  cfg: Config,
  now: Date,
): Promise<{ messages: number; dialogs: number }> {
  if (!cfg.retentionDays) return { messages: 0, dialogs: 0 };
  const end = keys.messageRef(ulidFloor(now.getTime() - cfg.retentionDays * 86_400_000));
  let deleted = 0;
  while (true) {
    const page = await doomedPage(kv, end);
    if (page.length === 0) break;
    let op = kv.atomic();
    let size = 0;
    const marked = new Set<string>();
    const flush = async () => {
      if (size === 0) return;
      if (!(await op.commit()).ok) throw new Error("retention batch did not commit");
      op = kv.atomic();
      size = 0;
      marked.clear();
    };
    for (const m of page) {
      const id = m.p.join("\0");
      if (size + m.keys.length + 1 > MAX_MUTATIONS) await flush();
      for (const k of m.keys) op.delete(k);
      size += m.keys.length;
      if (!marked.has(id)) {
        op.set(keys.retentionRepair(m.p), null);
        marked.add(id);
        size++;
      }
    }
    await flush();
    deleted += page.length;
  }
  let dialogs = 0;
  for await (const e of kv.list({ prefix: keys.retentionRepairs() })) {
    const p: Pair = [e.key[1] as string, e.key[2] as string];
    await repairSide(kv, p, p[0], p[1]);
    await repairSide(kv, p, p[1], p[0]);
    // Only if no new deletion marked it again meanwhile.
    await kv.atomic().check(e).delete(e.key).commit();
    dialogs++;
  }
  return { messages: deleted, dialogs };
}
