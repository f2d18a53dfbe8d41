/**
 * Puts the widget on the page: a host element appended to <body>, with a shadow root holding the
 * styles and the UI, so the page's CSS cannot reach in and ours cannot leak out. The host element
 * is fixed-position and empty in the page's flow, so the page's layout does not shift.
 */
import { render } from "preact";
import { App } from "./components/App.ts";
import { html } from "./html.ts";
import { S, subscribe } from "./store.ts";
import { CSS } from "./styles.ts";

const style = document.createElement("style");
style.textContent = CSS;

/** Adds rules to the widget's styles (a lazy part brings its own). */
export function addCss(css: string) {
  style.textContent += css;
}

/** Creates the host element and renders the widget into it on every state change. */
export function mount() {
  // A custom element name: the page's `div {…}` rules cannot match it.
  const host = document.createElement("parley-widget");
  host.style.cssText = "position:fixed!important;top:0;left:0;width:0;height:0;z-index:2147483000";
  const root = host.attachShadow({ mode: "open" });
  root.append(style);
  const app = document.createElement("div");
  root.append(app);
  document.body.append(host);
  const draw = () => {
    render(html`<${App} />`, app);
    if (S.focus) {
      (root.querySelector(S.focus) as HTMLElement | null)?.focus();
      S.focus = "";
    }
  };
  subscribe(draw);
  draw();
}
