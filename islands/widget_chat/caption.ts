/**
 * The composer's send, and an image with a caption: text typed in the box before an image is
 * picked, pasted or dropped goes with it as its caption (and a reply being written quotes with
 * it), in one message (multipart `text` + `image`, islands/widget_extra/upload.ts).
 */
import type { Caption } from "../widget_extra/upload.ts";
import { draft, S, setDraft, update } from "../widget_extra/core.ts";
import { queue } from "./outbox.ts";
import { replying } from "./reply.ts";

/** The caption for an image being sent to `peer`: the box's text (the box empties). */
export function takeCaption(peer: string): Caption | undefined {
  const text = draft(peer).trim();
  if (!text) return undefined;
  setDraft(peer, "");
  S.focus = "textarea";
  update();
  return { text, reply_to: replying(peer, true)?.id };
}

/**
 * The composer's send: the text goes into the outbox with the quote being answered. False when
 * there is nothing to send.
 */
export function send(peer: string, text: string): boolean {
  if (!text) return false;
  queue(peer, text, replying(peer, true));
  return true;
}
