/**
 * The console's keyboard: `j` / `k` move to the next / previous item of the view (message rows,
 * complaints, tiles, users), `/` goes to the view's search field, `r` / `d` resolve / dismiss the
 * open complaint, `?` shows the list, Esc closes it. Never while typing in a field, never with
 * Ctrl, Alt or Meta (the browser's and the screen reader's own keys stay theirs).
 */
import { useEffect, useState } from "preact/hooks";
import { html } from "./html.ts";
import { type Strings, t } from "./i18n.ts";
import { Modal } from "./Modal.ts";

/** What the keys act on: items carry data-nav, fields data-search, buttons data-key. */
const ITEMS = "[data-nav]";

function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/** Moves focus `by` items from the focused one (or to the first / last). */
function move(by: 1 | -1) {
  const items = [...document.querySelectorAll<HTMLElement>(`#pa-main ${ITEMS}`)]
    .filter((el) => el.getClientRects().length > 0);
  if (!items.length) return;
  const at = items.findIndex((el) => el.contains(document.activeElement));
  const next = at < 0 ? (by > 0 ? 0 : items.length - 1) : at + by;
  const el = items[Math.max(0, Math.min(items.length - 1, next))];
  if (!el.hasAttribute("tabindex") && !el.matches("a,button")) el.tabIndex = -1;
  el.focus();
  el.scrollIntoView({ block: "nearest" });
}

function click(selector: string): boolean {
  const el = document.querySelector<HTMLElement>(`#pa-main ${selector}`);
  if (!el || (el as HTMLButtonElement).disabled) return false;
  el.click();
  return true;
}

/** Installs the keys for the page; returns whether the help list is open and its setter. */
export function useShortcuts(): [boolean, (open: boolean) => void] {
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
      if (typing(e)) return;
      // Behind an open dialog (the key list, an image) only ? works: it closes the list.
      if (document.querySelector('[aria-modal="true"]') && e.key !== "?") return;
      let done = true;
      if (e.key === "j") move(1);
      else if (e.key === "k") move(-1);
      else if (e.key === "/") {
        // The view's search field, else its first field (the dialog's and moderation's pickers).
        const field = document.querySelector<HTMLElement>("#pa-main [data-search]") ??
          document.querySelector<HTMLElement>("#pa-main input:not([type=hidden])");
        if (field) field.focus();
        else done = false;
      } else if (e.key === "r") done = click('[data-key="r"]');
      else if (e.key === "d") done = click('[data-key="d"]');
      else if (e.key === "?") setHelp(!help);
      else done = false;
      if (done) e.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [help]);
  return [help, setHelp];
}

const KEYS: [string, keyof Strings][] = [
  ["j", "keyNext"],
  ["k", "keyPrev"],
  ["/", "keySearch"],
  ["r", "keyResolve"],
  ["d", "keyDismiss"],
  ["?", "keyHelp"],
  ["Esc", "keyClose"],
];

/** The list of keys, as a modal dialog. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return html`
    <${Modal} className="pa-help" labelledBy="pa-help-title" onClose=${onClose}>
      <h2 id="pa-help-title">${t("keysTitle")}</h2>
      <dl class="pa-facts">
          ${KEYS.map(([k, label]) =>
            html`
              <dt><kbd>${k}</kbd></dt>
              <dd>${t(label)}</dd>
            `
          )}
        </dl>
      <button onClick=${onClose}>${t("close")}</button>
      </${Modal}>
  `;
}
