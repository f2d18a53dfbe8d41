/**
 * The browser's (and Android's) back button on the full-screen sheet: opening the panel as a
 * sheet (islands/widget/sheet.ts) adds one history entry, and going back closes the sheet
 * instead of leaving the page. Closing it otherwise takes that entry away again. The floating
 * panel of wider screens adds none.
 */
import { SHEET } from "../widget/sheet.ts";
import { closePanel, html } from "../widget_extra/core.ts";

let pushed = false;

function onPop() {
  if (!pushed) return;
  pushed = false;
  removeEventListener("popstate", onPop);
  closePanel();
}

/** Runs when the panel opens (`el`) and closes (null). */
function attach(el: HTMLElement | null) {
  if (el && !pushed && matchMedia(SHEET).matches) {
    history.pushState({ parley: "sheet" }, "");
    pushed = true;
    addEventListener("popstate", onPop);
  } else if (!el && pushed) {
    pushed = false;
    removeEventListener("popstate", onPop);
    if (history.state?.parley === "sheet") history.back();
  }
}

/** An invisible marker in the open panel. */
export function Back() {
  return html`<i hidden ref=${attach}></i>`;
}
