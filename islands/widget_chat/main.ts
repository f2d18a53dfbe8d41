/**
 * `/widget-chat.js`: replies, clickable links, the outbox (sending state, retries, "not sent"),
 * search in a dialog and image captions. widget.js loads it together with widget-extra.js
 * (islands/widget/lazy.ts: when idle after init, or on first use) and merges the two scripts'
 * parts; it registers the way widget-extra.js does, adding no globals.
 */
import { BUILD } from "../widget/build_id.ts";
import type { LazyScript } from "../widget/lazy.ts";
import { addCss, addStrings, bind, S } from "../widget_extra/core.ts";
import { useLinks } from "./links.ts";
import { startOutbox } from "./outbox.ts";
import { chatParts } from "./parts.ts";
import { replyItem } from "./reply.ts";
import { codes, en, ru } from "./strings.ts";
import { CSS } from "./styles.ts";

(document.currentScript as LazyScript).parley(BUILD, (core) => {
  bind(core);
  addCss(CSS);
  addStrings(S.lang === "ru" ? ru : en, codes);
  useLinks();
  S.msgItem = replyItem;
  startOutbox();
  return chatParts;
});
