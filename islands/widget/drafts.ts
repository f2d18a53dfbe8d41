/**
 * Unsent text per dialog, kept in sessionStorage under the user's id: it survives closing the
 * panel (Esc), switching dialogs and reloading in the same tab, and is gone with the tab.
 */
import { S } from "./store.ts";

let all: Record<string, string> | undefined;
const key = () => "parley:drafts:" + S.opts.user_id;

/** The draft of the dialog with `peer` ("" if none). */
export function draft(peer: string): string {
  try {
    all ??= JSON.parse(sessionStorage.getItem(key()) || "{}");
  } catch {
    all = {};
  }
  return all![peer] || "";
}

/** Keeps (or with "" drops) the draft of the dialog with `peer`. */
export function setDraft(peer: string, text: string) {
  draft(peer);
  if (text) all![peer] = text;
  else delete all![peer];
  try {
    sessionStorage.setItem(key(), JSON.stringify(all));
  } catch {
    // storage blocked: drafts last for this page only
  }
}
