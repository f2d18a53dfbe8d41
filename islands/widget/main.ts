/**
 * The embeddable chat (`/widget.js`). One script tag, then `Parley.init({...})`; the original's
 * `StarCometChat` name is the same object, so an existing integration only swaps the script tag.
 */
import { createParley } from "./public_api.ts";

const script = document.currentScript as HTMLScriptElement | null;
// Parley's base URL is where this script came from ("" when unknown: then `home_dir`).
const scriptBase = script?.src ? new URL(".", script.src).href : "";
const g = globalThis as unknown as Record<string, unknown>;
// The original's pages call comet-server's `CometServer().start(...)` before `init`. Without that
// library (no longer needed) a stand-in whose every method does nothing keeps them running; a
// real library on the page is left alone.
g.CometServer ??= () => new Proxy({}, { get: () => () => {} });
if (!g.Parley) g.Parley = g.StarCometChat = createParley(scriptBase);
