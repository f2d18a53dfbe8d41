/**
 * Keyboard moves the panel hands over (islands/widget/components/Panel.ts): Tab stays inside the
 * full-screen sheet (it covers the page, so nothing behind it may take focus), and the arrow keys
 * move between the dialog list's rows (from the search box too).
 */

import { SHEET } from "../widget/sheet.ts";

function focusables(panel: HTMLElement): HTMLElement[] {
  return [...panel.querySelectorAll<HTMLElement>("button,input,textarea,a[href],[tabindex]")]
    .filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0);
}

/** A key pressed in the panel that is not Esc. */
export function panelKey(e: KeyboardEvent) {
  const panel = e.currentTarget as HTMLElement;
  const at = (panel.getRootNode() as ShadowRoot).activeElement;
  if (e.key === "Tab" && matchMedia(SHEET).matches) {
    const all = focusables(panel);
    const [first, last] = [all[0], all.at(-1)!];
    if (e.shiftKey ? at === first || !all.includes(at as HTMLElement) : at === last) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    }
  }
  const down = e.key === "ArrowDown";
  if (!down && e.key !== "ArrowUp") return;
  const rows = [...panel.querySelectorAll<HTMLElement>(".row")];
  const i = rows.indexOf(at as HTMLElement);
  const fromSearch = at?.classList.contains("search");
  const next = rows[fromSearch ? (down ? 0 : -1) : i < 0 ? -1 : i + (down ? 1 : -1)];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}
