/**
 * While the panel is open as a full-screen sheet (islands/widget/sheet.ts): the page behind it
 * does not scroll, and the sheet follows the visual viewport, which the on-screen keyboard
 * shrinks (the layout viewport, which `position:fixed` uses, stays as it was). Rendered inside the
 * panel; its ref callback runs when the panel opens and closes.
 */
import { SHEET } from "../widget/sheet.ts";
import { html } from "./core.ts";

let host: HTMLElement | null = null;
let saved = "";

/** Puts the viewport's height and top on the host element (the CSS reads --vh and --vt). */
function fit() {
  const vv = visualViewport!;
  const page = document.documentElement.style;
  const sheet = matchMedia(SHEET).matches;
  host?.style.setProperty("--vh", vv.height + "px");
  host?.style.setProperty("--vt", vv.offsetTop + "px");
  if (sheet !== (page.overflow === "hidden")) page.overflow = sheet ? "hidden" : saved;
}

function attach(el: HTMLElement | null) {
  const vv = visualViewport;
  if (!vv || !el === !host) return;
  host = el && (el.getRootNode() as ShadowRoot).host as HTMLElement;
  if (host) {
    saved = document.documentElement.style.overflow;
    vv.addEventListener("resize", fit);
    vv.addEventListener("scroll", fit);
    fit();
  } else {
    vv.removeEventListener("resize", fit);
    vv.removeEventListener("scroll", fit);
    document.documentElement.style.overflow = saved;
  }
}

/** An invisible marker in the open panel. */
export function Sheet() {
  return html`<i hidden ref=${attach}></i>`;
}
