/** The composer's upload bar: progress with its cancel link, or "Image not sent" with Retry. */
import { html, S, t } from "./core.ts";

/** Progress of the image being sent, or the images that wait to be sent again (`S.upload`). */
export function UploadBar() {
  const up = S.upload!;
  return up.failed
    ? html`
      <div class="upl" role="alert">${up.failed} <button type="button" class="link retry"
        onClick=${up.retry}>${t("retry")}</button> <button type="button" class="link cancel"
        onClick=${up.abort}>${t("remove")}</button></div>
    `
    : html`
      <div class="upl"
        role="status"><progress max="100" value=${up.pct} aria-label=${t(
          "loading",
        )}></progress><button type="button" class="link cancel" onClick=${up.abort}>${t(
          "cancel",
        )}</button></div>
    `;
}
