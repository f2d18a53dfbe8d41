/** The composer's upload progress bar with its cancel link. */
import { html, S, t } from "./core.ts";

/** Progress of the image being sent (`S.upload`). */
export function UploadBar() {
  const up = S.upload!;
  return html`
    <div class="upl"
      role="status"><progress max="100" value=${up.pct} aria-label=${t(
        "loading",
      )}></progress><button type="button" class="link cancel" onClick=${up.abort}>${t(
        "cancel",
      )}</button></div>
  `;
}
