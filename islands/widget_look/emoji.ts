/**
 * The emoji picker next to the message box: a grid of common emoji that opens above the
 * composer. Keyboard: the arrows move in the grid, Enter or Space inserts at the caret (the
 * picker stays open for more), Esc (the panel's) closes it and returns to the box; a click
 * outside closes it too.
 */
import { EMOJI } from "../widget/icons.ts";
import { html, Icon, S, t, update } from "../widget_extra/core.ts";

const LIST = (
  "😀 😂 🙂 😉 😊 😍 🥰 😘 😎 🤔 😮 😅 😢 😭 😡 😴 " +
  "👍 👎 👏 🙏 👋 🤝 💪 👌 ❤️ 🔥 🎉 ✨ ⭐ ✅ ❌ ☕"
).split(" ");
const COLS = 8;

/**
 * Puts `e` at the caret of the message box, as if typed (the core keeps the draft). Called in a
 * task of its own after a click: Chromium (150 seen) puts an unfocused box's caret back to 0 once
 * a click handler that moved it returns, and the next emoji then went first.
 */
function insert(e: string) {
  const box = S.menu === "emoji" &&
    document.querySelector("parley-widget")?.shadowRoot?.querySelector<HTMLTextAreaElement>(
      "textarea[name=text]",
    );
  if (!box) return;
  box.setRangeText(e, box.selectionStart, box.selectionEnd, "end");
  box.dispatchEvent(new Event("input", { bubbles: true }));
}

function toggle() {
  S.menu = S.menu === "emoji" ? "" : "emoji";
  S.focus = S.menu ? ".emojis button" : "textarea";
  update();
}

/** Arrow keys move the focus in the grid. */
function move(e: KeyboardEvent) {
  const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -COLS, ArrowDown: COLS }[e.key];
  const all = [...(e.currentTarget as HTMLElement).children] as HTMLElement[];
  const at = all.indexOf(e.target as HTMLElement);
  if (!step || at < 0) return;
  e.preventDefault();
  all[Math.min(Math.max(at + step, 0), all.length - 1)].focus();
}

/** The picker's button and, when open, the grid. */
export function Emoji() {
  const open = S.menu === "emoji";
  return html`
    <div
      class="menuwrap"><button type="button" class="icon emo" aria-label=${t("emoji")} title=${t(
        "emoji",
      )} aria-expanded=${open} onClick=${toggle}>${Icon(EMOJI)}</button>${open &&
        html`<div class="emojis" role="group" aria-label=${t("emoji")} onKeyDown=${move}>${
          LIST.map((e, i) =>
            html`<button type="button" tabindex=${i ? -1 : 0} onClick=${() =>
              setTimeout(insert, 0, e)}>${e}</button>`
          )
        }</div>`}</div>
  `;
}
