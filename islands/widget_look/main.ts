/**
 * `/widget-look.js`: how the history is laid out (groups, the unread line, the "new messages"
 * button, the empty dialog's invitation), and the end of a ban for a time (ban_end.ts).
 * widget.js loads it together with `widget-extra.js` (islands/widget/lazy.ts); like that one it
 * takes the core's internals and hands back its parts through its own <script> element, adding
 * no globals.
 */
import { BUILD } from "../widget/build_id.ts";
import type { LazyScript } from "../widget/lazy.ts";
import { addCss, addStrings, bind, S } from "../widget_extra/core.ts";
import { watchBanEnd } from "./ban_end.ts";
import { parts } from "./parts.ts";
import { en, ru } from "./strings.ts";
import { CSS } from "./styles.ts";

(document.currentScript as LazyScript).parley(BUILD, (core) => {
  bind(core);
  addCss(CSS);
  addStrings(S.lang === "ru" ? ru : en, {});
  // Signed in banned until a time: the composer comes back when the ban ends.
  watchBanEnd();
  return parts;
});
