/** An icon of the set (islands/widget/icons.ts); decorative: its button carries the label. */
import { html } from "../html.ts";

/** The inline SVG of path data `d`. */
export const Icon = (d: string) =>
  html`
    <svg class="ic" viewBox="0 0 24 24" aria-hidden="true">
      <path d=${d} />
    </svg>
  `;
