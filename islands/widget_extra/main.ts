/**
 * `/widget-extra.js`: the parts of the widget most visits never use (reports, translation, image
 * upload and viewer, the favourite / block menu, contacts tabs). widget.js loads it when idle
 * after init or on first use (islands/widget/lazy.ts); it takes the core's internals and hands
 * back its parts through its own <script> element, adding no globals.
 */
import { BUILD } from "../widget/build_id.ts";
import type { LazyScript } from "../widget/lazy.ts";
import { addCss, addStrings, bind, S, update } from "./core.ts";
import { parts } from "./parts.ts";
import { codes, en, ru } from "./strings.ts";
import { CSS } from "./styles.ts";
import { applyTheme, THEME_CSS } from "./theme.ts";
import { restoreStuck } from "./upload.ts";

(document.currentScript as LazyScript).parley(BUILD, (core) => {
  bind(core);
  addCss(CSS + "\n" + THEME_CSS);
  applyTheme();
  // "seen 5 minutes ago" and message times stay true.
  setInterval(update, 6e4);
  addStrings(S.lang === "ru" ? ru : en, codes);
  restoreStuck();
  return parts;
});
