/** Opening and closing the panel and moving between the dialog list and a dialog. */
import { loadDialogs } from "./contacts.ts";
import { person, S, thread, update } from "./store.ts";
import { loadHistory, markRead } from "./threads.ts";

/** What had the page's focus when the panel opened (without a launcher, focus goes back there). */
let opener: Element | null = null;

/** Opens the panel on the dialog with `peer`, or on the dialog list (first open: one request). */
export function openDialog(peer = "") {
  if (!S.open) opener = document.activeElement;
  Object.assign(S, {
    open: true,
    peer,
    menu: "",
    report: null,
    sendError: "",
    focus: peer ? "textarea" : "[data-first]",
  });
  // The list carries the profiles: load it on first open (also for a dialog with someone unknown).
  if (!S.listLoaded && (!peer || !person(peer).user)) loadDialogs();
  if (peer && !thread(peer).loaded) loadHistory(peer);
  markRead();
  update();
}

/** Opens the panel on the dialog list. */
export const openList = () => openDialog();

/**
 * Closes the panel, returns focus to the launcher (or, without one, to what had it before the
 * panel opened, e.g. the host page's own button), and tells the host (`onCloseChat`).
 */
export function closePanel() {
  if (!S.open) return;
  S.open = false;
  S.lightbox = "";
  S.focus = ".launcher";
  if (!S.opts.launcher) (opener as HTMLElement | null)?.focus?.();
  update();
  S.opts.onCloseChat?.();
}
