/**
 * The messages still in the outbox, under the dialog's history: a clock while being sent (the
 * stored message then replaces it with its ✓, and ✓✓ once read), or "Not sent" with the reason,
 * Retry and Remove once the outbox gave up.
 */
import { html, t } from "../widget_extra/core.ts";
import { type Entry, retry, waiting } from "./outbox.ts";
import { Quote } from "./reply.ts";

function Bubble({ e }: { e: Entry }) {
  return html`<div class=${e.failed ? "msg me pending failed" : "msg me pending"}>
${e.reply && html`<${Quote} q=${e.reply} />`}
<p class="text">${e.text}</p>
${
    e.failed
      ? html`<p class="meta err" role="alert">${t("notSent")}: ${e.failed} <button class="link"
  onClick=${() => retry(e)}>${t("retry")}</button> <button class="link" onClick=${() =>
        retry(e, true)}>${t("discard")}</button></p>`
      : html`<p class="meta"><span class="clock" role="img" aria-label=${
        t("sending")
      }>🕓</span></p>`
  }
</div>`;
}

/** The outbox's messages to `peer`, oldest first. */
export function Pending({ peer }: { peer: string }) {
  return waiting(peer).map((e) => html`<${Bubble} key=${e.cid} e=${e} />`);
}
