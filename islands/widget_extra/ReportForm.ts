/** Reporting a user or one of their messages: a reason and optional details. */
import { type ApiErr, isMissing } from "../widget/api_error.ts";
import { call, errorText, html, nameOf, notify, S, t, update } from "./core.ts";

/**
 * Sends a complaint about the user (and message) in `S.report`. A refusal (a rate limit, say)
 * keeps the form open with what was typed and says why in it.
 */
async function sendReport(reason: string, text: string) {
  const r = S.report!;
  const { peer, message_id } = r;
  try {
    await call("POST", "/api/v1/complaints", {
      user_id: peer,
      message_id,
      reason,
      text: text.trim() || undefined,
    });
    S.report = null;
    S.focus = "textarea";
    notify(t("reported"));
  } catch (e) {
    if (isMissing(e)) S.feat.report = false;
    // The report limit is hours long: say it in minutes.
    const { code, retryAfter } = e as ApiErr;
    r.error = code === "rate_limited" && retryAfter > 90
      ? t("rateMin", { n: Math.ceil(retryAfter / 60) })
      : errorText(e);
  }
  update();
}

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
      ${S.report!.error && html`<p class="err" role="alert">${S.report!.error}</p>`}
      <div
        class="btns"><button type="button" class="link" onClick=${cancel}>${t(
          "cancel",
        )}</button><button class="primary">${t("report")}</button></div>
    </form>
  `;
}
