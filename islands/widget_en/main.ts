/**
 * `/widget-en.js`: the English UI strings, loaded by widget.js during init, in parallel with
 * signing in, when the UI language is English (see islands/widget/lazy.ts and boot.ts). It hands
 * them over through its <script> element.
 */
import type { LazyScript } from "../widget/lazy.ts";
import { BUILD } from "../widget/build_id.ts";
import { en } from "./en.ts";

(document.currentScript as LazyScript).parley(BUILD, () => en);
