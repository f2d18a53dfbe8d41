/**
 * The widget core's internals, bound when `widget-compat.js` registers (islands/widget/lazy.ts).
 * Like the extra parts, this bundle must share the core's very objects (one state, one Preact),
 * so it imports the core only as types.
 */
import type { Core } from "../widget/core_api.ts";

/** The core (set once, before anything here runs). */
export let C: Core;

/** Takes the core's internals. */
export function bind(core: Core) {
  C = core;
}
