/**
 * `/widget-ru.js`: the Russian UI strings, loaded by widget.js during init when the UI language
 * is Russian (see islands/widget/lazy.ts). It hands them over through its <script> element.
 */
import type { LazyScript } from "../widget/lazy.ts";
import { BUILD } from "../widget/build_id.ts";
import { ru } from "./ru.ts";

(document.currentScript as LazyScript).parley(BUILD, () => ru);
