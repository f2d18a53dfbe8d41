/**
 * `/widget-compat.js`: what only the original Star.Comet-Chat's pages need (islands/widget_compat:
 * its options' original meanings and its other public calls). widget.js loads it during `init`
 * when the options carry `home_dir` (the original required it; Parley does not), in parallel with
 * signing in, and installs itself on `window.Parley` (the same object as `StarCometChat`) when it
 * registers through its own <script> element, adding no globals.
 */
import { BUILD } from "../widget/build_id.ts";
import type { LazyScript } from "../widget/lazy.ts";
import { addCalls } from "./calls.ts";
import { bind } from "./core.ts";
import { applyOptions } from "./options.ts";

(document.currentScript as LazyScript).parley(BUILD, (core) => {
  bind(core);
  applyOptions();
  addCalls((globalThis as unknown as { Parley: Record<string, unknown> }).Parley);
});
