/**
 * A `message_deleted` event (its sender or a moderator deleted it): the message leaves its
 * history, the unread count and the dialog list's preview follow, and replies quoting it show
 * "deleted message" at once, as the server's listings do from then on.
 */
import { absorb, loadDialogs, S, update } from "../widget_extra/core.ts";

/** The event's data. */
export interface Deleted {
  id: string;
  from: string;
  to: string;
}

export function onDeleted(d: Deleted) {
  const peer = d.from === S.me?.user_id ? d.to : d.from;
  const th = S.threads[peer];
  if (th) {
    th.msgs = th.msgs.filter((m) => m.id !== d.id);
    for (const m of th.msgs) {
      if (m.reply_to?.id === d.id) {
        m.reply_to = { id: d.id, from: m.reply_to.from, text: "", deleted: true };
      }
    }
  }
  if (d.from === peer && S.unread[peer] > 0 && d.id > (S.readUpTo[peer] ?? "")) S.unread[peer]--;
  if (S.rows.get(peer)?.last?.id === d.id) {
    const prev = th?.msgs.at(-1);
    S.rows.delete(peer);
    if (prev) absorb(prev);
    else if (S.listLoaded) loadDialogs();
  }
  update();
}
