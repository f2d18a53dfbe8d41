/** The widget's root: the launcher or the panel, and the screen-reader announcements. */
import { html } from "../html.ts";
import { S } from "../store.ts";
import { Launcher } from "./Launcher.ts";
import { Panel } from "./Panel.ts";

/** Root: launcher when closed, panel when open, and the aria-live announcer. */
export function App() {
  return html`
    <div class="root"
      lang=${S.lang}>${S.open
        ? html`<${Panel} />`
        : (S.me || S.conn === "failed") && S.opts.launcher &&
          html`<${Launcher} />`}<div class="sr" aria-live="polite">${S.announce}</div></div>
  `;
}
