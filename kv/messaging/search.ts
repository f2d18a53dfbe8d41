/**
 * Search in one dialog's history, newest first. Deno KV has no text index, so a search reads the
 * dialog's messages backwards, at most SCAN_LIMIT of them per request, and matches the folded text
 * (services/core/fold.ts: case, "ё" = "е", accents). When the budget runs out before `limit`
 * matches, the answer says where it stopped (`next_cursor`), so a dialog of 20,000 messages costs
 * several short requests, never one long one. Only the text the members see (after the content
 * filters) is searched: a masked word cannot be found through search.
 */
import { fold } from "../../services/core/fold.ts";
import { keys, pair } from "../keys.ts";
import type { Message } from "../types.ts";
import { withReadAt } from "./dialogs.ts";
import type { DialogSide } from "./dialogs.ts";
import { publicMessage } from "./messages.ts";
import { markGoneQuotes } from "./replies.ts";

/** Messages read per request at most. */
export const SCAN_LIMIT = 1000;

export interface SearchPage {
  /** Matches, newest first. */
  messages: Message[];
  /** Where to go on (the `cursor` of the next request), or null when the history is done. */
  next_cursor: string | null;
  /** How many messages this request read (at most SCAN_LIMIT). */
  scanned: number;
}

/** Finds up to `limit` messages of the dialog `me`–`peer` containing `q`, before `cursor`. */
export async function searchDialog(
  kv: Deno.Kv,
  me: string,
  peer: string,
  opts: { q: string; cursor?: string; limit: number },
): Promise<SearchPage> {
  const p = pair(me, peer);
  const needle = fold(opts.q);
  const iter = kv.list<Message>(
    opts.cursor
      ? { prefix: keys.messages(p), end: keys.message(p, opts.cursor) }
      : { prefix: keys.messages(p) },
    { reverse: true, limit: SCAN_LIMIT, batchSize: 250 },
  );
  const found: Message[] = [];
  let scanned = 0;
  let last: string | null = null;
  for await (const e of iter) {
    scanned++;
    last = e.value.id;
    if (fold(e.value.text).includes(needle)) found.push(publicMessage(e.value));
    if (found.length === opts.limit) break;
  }
  // A full budget or a full page may have more behind it; a short scan reached the start.
  const more = found.length === opts.limit || scanned === SCAN_LIMIT;
  const [, peerSide] = await kv.getMany<DialogSide[]>([
    keys.dialog(me, peer),
    keys.dialog(peer, me),
  ]);
  const messages = withReadAt(await markGoneQuotes(kv, found), peer, peerSide.value);
  return { messages, next_cursor: more && last ? last : null, scanned };
}
