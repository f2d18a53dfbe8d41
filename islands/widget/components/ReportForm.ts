/** Reporting a user or one of their messages: a reason and optional details. */
import { sendReport } from "../contacts.ts";
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { nameOf, S, update } from "../store.ts";

function submit(e: Event) {
  e.preventDefault();
  const f = (e.currentTarget as HTMLFormElement).elements;
  sendReport(
    (f.namedItem("reason") as RadioNodeList).value,
    (f.namedItem("details") as HTMLTextAreaElement).value,
  );
}

function cancel() {
  S.report = null;
  S.focus = "textarea";
  update();
}

/** The report form for `S.report`. */
export function ReportForm() {
  return html`
    <form class="rform" onSubmit=${submit}>
      <fieldset><legend>${t("report")}: ${nameOf(
        S.report!.peer,
      )}</legend>${(["spam", "abuse", "scam", "other"] as const).map((k, i) =>
        html`<label><input type="radio" name="reason" value=${k} defaultChecked=${!i} /> ${
          t(k)
        }</label>`
      )}</fieldset>
      <textarea name="details" maxlength="1000" placeholder=${t("details")}
        aria-label=${t("details")}></textarea>
      <div
        class="btns"><button type="button" class="link" onClick=${cancel}>${t(
          "cancel",
        )}</button><button class="primary">${t("report")}</button></div>
    </form>
  `;
}
