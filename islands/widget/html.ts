/** `html` tagged templates (htm) bound to Preact's `h`: JSX-like markup without a build step. */
import { h, type VNode } from "preact";
import htmDefault from "htm";

// htm ships CommonJS-style typings that Deno reads as a namespace; the bundle gets its ES module.
const htm = htmDefault as unknown as {
  bind(hf: typeof h): (strings: TemplateStringsArray, ...values: unknown[]) => VNode;
};

/** Markup as tagged templates: html`<p class="x">${text}</p>` (text is always escaped). */
export const html = htm.bind(h);
