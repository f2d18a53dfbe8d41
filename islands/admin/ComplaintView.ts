/** One complaint: who, about whom, why, the reported message in its context; resolve / dismiss. */
import { useEffect, useState } from "preact/hooks";
import { call } from "./api.ts";
import { type ComplaintDetail, reasonLabel } from "./complaints_api.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { MessageItem } from "./MessageItem.ts";
import { actorName } from "./Moderation.ts";
import { type Profile, useStore } from "./store.ts";

export function ComplaintView({ id }: { id: string }) {
  const s = useStore();
  const [detail, setDetail] = useState<ComplaintDetail | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const load = () =>
    call<ComplaintDetail & { users: Record<string, Profile> }>(
      "GET",
      `/api/v1/admin/complaints/${encodeURIComponent(id)}`,
    ).then((r) => {
      s.addNames(r.users);
      setDetail(r);
    }).catch((e) => setError((e as Error).message));
  useEffect(() => {
    load();
  }, [id]);
  const decide = async (action: "resolve" | "dismiss") => {
    setBusy(true);
    try {
      await call("POST", `/api/v1/admin/complaints/${encodeURIComponent(id)}/${action}`, {
        json: { note },
      });
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const back = html`<a class="pa-back" href="#/complaints">${t("back")}</a>`;
  if (error) {
    return html`<section class="pa-view">${back}<p class="pa-error" role="alert">${error}</p></section>`;
  }
  if (!detail) {
    return html`<section class="pa-view">${back}<p class="pa-muted">${t("loading")}</p></section>`;
  }
  const c = detail.complaint;
  const row = (label: string, value: unknown) =>
    html`
      <dt>${label}</dt>
      <dd>${value}</dd>
    `;
  return html`<section class="pa-view pa-complaint-view">
    ${back}
    <dl class="pa-facts">
      ${row(t("when"), when(c.created_at))}
      ${row(t("reporter"), html`<a href=${link("user", c.reporter)}>${s.name(c.reporter)}</a>`)}
      ${row(t("accused"), html`<a href=${link("user", c.user_id)}>${s.name(c.user_id)}</a>`)}
      ${row(t("reason"), reasonLabel(c.reason))}
      ${c.text && row(t("complaintText"), html`<span class="pa-text">${c.text}</span>`)}
      ${row(t("status"), t(c.status))}
      ${
    c.handled_by && row(t("handledBy"), `${actorName(s, c.handled_by)} · ${when(c.updated_at)}`)
  }
      ${c.note && row(t("note"), html`<span class="pa-text">${c.note}</span>`)}
    </dl>
    <h2>${detail.message ? t("context") : t("dialog")}</h2>
    ${detail.message_deleted && html`<p class="pa-warn-text">${t("messageDeleted")}</p>`}
    <div class="pa-list pa-context">
      ${
    detail.context.map((m) =>
      html`<${MessageItem} key=${m.id} m=${m} highlight=${m.id === c.message_id} />`
    )
  }
    </div>
    <p><a href=${link("dialog", c.reporter, c.user_id)}>${t("openDialog")}: ${
    s.name(c.reporter)
  } ↔ ${s.name(c.user_id)}</a></p>
    ${
    c.status === "open" && html`
      <div class="pa-decide">
        <label class="pa-field pa-grow">
          <span>${t("note")}</span>
          <textarea
            rows="2"
            maxLength="1000"
            value=${note}
            onInput=${(e: Event) => setNote((e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </label>
        <button disabled=${busy} onClick=${() => decide("resolve")}>${t("resolve")}</button>
        <button disabled=${busy} onClick=${() => decide("dismiss")}>${t("dismiss")}</button>
      </div>
    `
  }
  </section>`;
}
