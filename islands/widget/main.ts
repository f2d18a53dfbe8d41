/**
 * The embeddable chat (`/widget.js`). One script tag, then `Parley.init({...})`; the original's
 * `StarCometChat` name is the same object, so an existing integration only swaps the script tag.
 */
import { createParley } from "./public_api.ts";

const script = document.currentScript as HTMLScriptElement | null;
const scriptBase = script?.src ? new URL(".", script.src).href : location.origin;
const g = globalThis as unknown as Record<string, unknown>;
if (!g.Parley) g.Parley = g.StarCometChat = createParley(scriptBase);
