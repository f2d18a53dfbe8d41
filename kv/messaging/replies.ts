/**
 * Replies: a message may quote one earlier message of the same dialog. The quote (`reply_to`:
 * id, author, a short snippet) is captured when the reply is sent, from the text the dialog's
 * members saw (already filtered), so it needs no read of the original to show. Listings check
 * that the originals still exist and mark a quote `deleted` (without its snippet) when one is gone
 * (deleted by its sender or a moderator, or expired by retention).
 */
import { ApiError, badRequest } from "../../services/core/errors.ts";
import { isUlid } from "../../services/core/ids.ts";
import { getManyChunked } from "../batch.ts";
import { keys, pair } from "../keys.ts";
import type { Message, ReplyRef } from "../types.ts";

/** Characters of the original kept in a quote: enough for a line, never the whole text. */
export const SNIPPET_CHARS = 120;

/** The first SNIPPET_CHARS characters (code points) of a text on one line. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length > SNIPPET_CHARS ? chars.slice(0, SNIPPET_CHARS - 1).join("") + "…" : flat;
}

/**
 * The quote of message `raw` for a reply `me` sends to `peer`. Only a message of that very
 * dialog can be quoted: any other id (someone else's dialog, deleted, never existed) is a 404,
 * so an id says nothing about messages the caller may not read.
 */
export async function replyRef(
  kv: Deno.Kv,
  me: string,
  peer: string,
  raw: unknown,
): Promise<ReplyRef | undefined> {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (!isUlid(raw)) {
    throw badRequest("invalid_reply_to", "reply_to must be a message id", "reply_to");
  }
  const m = (await kv.get<Message>(keys.message(pair(me, peer), raw))).value;
  if (!m) {
    throw new ApiError(404, "reply_not_found", "no such message in this dialog", "reply_to");
  }
  return {
    id: m.id,
    from: m.from,
    text: snippet(m.text),
    ...(m.attachment ? { has_attachment: true as const } : {}),
  };
}

/**
 * Marks the quotes in `messages` (one dialog's page) whose original is gone: `deleted`, and the
 * snippet emptied, so a deleted text is not shown through a reply. One batched read per page.
 */
export async function markGoneQuotes(kv: Deno.Kv, messages: Message[]): Promise<Message[]> {
  const quoting = messages.filter((m) => m.reply_to);
  if (!quoting.length) return messages;
  const found = await getManyChunked(
    kv,
    quoting.map((m) => keys.message(pair(m.from, m.to), m.reply_to!.id)),
  );
  const gone = new Set(quoting.filter((_, i) => !found[i].value).map((m) => m.id));
  return messages.map((m) =>
    gone.has(m.id)
      ? { ...m, reply_to: { id: m.reply_to!.id, from: m.reply_to!.from, text: "", deleted: true } }
      : m
  );
}
