/**
 * One complaint: who, about whom, why, the reported message in its context; who handles it
 * (claim, release), resolve / dismiss / resolve and ban. It follows colleagues live (the
 * complaints version), and a colleague's decision never costs the typed note: the answer's 409
 * becomes a translated notice and the note stays in its field.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiFailure, call } from "./api.ts";
import { useDuration } from "./BanControl.ts";
import { type ComplaintDetail, reasonLabel } from "./complaints_api.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { tm } from "./i18n_mod.ts";
import { MessageItem } from "./MessageItem.ts";
import { actorName } from "./Moderation.ts";
import { isFullAdmin, myId } from "./role.ts";
import { type Profile, useStore } from "./store.ts";
import { resolveUser, UserPicker } from "./UserPicker.ts";

export function ComplaintView({ id }: { id: string }) {
  const s = useStore();
  const me = myId();
  const [detail, setDetail] = useState<ComplaintDetail | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const duration = useDuration();
  const [colleague, setColleague] = useState("");
  const path = `/api/v1/admin/complaints/${encodeURIComponent(id)}`;
  const load = () =>
    call<ComplaintDetail & { users: Record<string, Profile> }>("GET", path, {
      params: { around: "10" },
    }).then((r) => {
      s.addNames(r.users);
      setDetail(r);
      return r;
    }).catch((e) => {
      setError((e as Error).message);
      return null;
    });
  // Again whenever a colleague changes a complaint (claim, decision): the note field is state of
  // its own and survives the reload.
  useEffect(() => {
    load();
  }, [id, s.complaintsVersion]);
  const run = async (job: () => Promise<unknown>) => {
    setBusy(true);
    setNotice("");
    try {
      await job();
      await load();
    } catch (e) {
      if (e instanceof ApiFailure && e.code === "complaint_closed") {
        // The colleague's decision as stored now, in the admin's language.
        const now = await load();
        const status = now?.complaint.status === "dismissed" ? "wasDismissed" : "wasResolved";
        setNotice(tm("conflict", { status: tm(status) }));
      } else setNotice(`${t("error")}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const decide = (action: "resolve" | "dismiss", ban = false) => {
    if (ban) {
      const name = s.name(detail!.complaint.user_id);
      if (!confirm(tm("confirmResolveBan", { name, until: duration.text() }))) return;
    }
    run(() =>
      call("POST", `${path}/${action}`, {
        json: { note, ...(ban ? { ban: duration.body() } : {}) },
      }).then(() => setNote(""))
    );
  };
  const assign = (userId: string | null) =>
    run(() => call("PUT", `${path}/assignee`, { json: { user_id: userId } }));
  const handOver = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const to = await resolveUser(colleague);
      await call("PUT", `${path}/assignee`, { json: { user_id: to } });
      setColleague("");
    });
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
  const who = (uid: string) =>
    isFullAdmin() ? html`<a href=${link("user", uid)}>${s.name(uid)}</a>` : s.name(uid);
  const mine = c.assignee?.user_id === me;
  return html`<section class="pa-view pa-complaint-view">
    ${back}
    ${notice && html`<p class="pa-notice" role="alert">${notice}</p>`}
    <dl class="pa-facts">
      ${row(t("when"), when(c.created_at))}
      ${row(t("reporter"), who(c.reporter))}
      ${row(t("accused"), who(c.user_id))}
      ${row(t("reason"), reasonLabel(c.reason))}
      ${c.text && row(t("complaintText"), html`<span class="pa-text">${c.text}</span>`)}
      ${row(t("status"), t(c.status))}
      ${
    c.status === "open" &&
    row(
      tm("assignee"),
      html`<span data-assignee>${
        c.assignee ? actorName(s, c.assignee.user_id) : tm("nobody")
      }</span>`,
    )
  }
      ${
    c.handled_by && row(t("handledBy"), `${actorName(s, c.handled_by)} · ${when(c.updated_at)}`)
  }
      ${c.note && row(t("note"), html`<span class="pa-text">${c.note}</span>`)}
    </dl>
    ${
    c.status === "open" && html`
      <div class="pa-decide">
        <div class="pa-decide-row">
        ${mine
          ? html`<button disabled=${busy} onClick=${() => assign(null)}>${tm("release")}</button>`
          : html`<button disabled=${busy} onClick=${() => assign(me)}>${tm("claim")}</button>`}
        <form class="pa-assign" onSubmit=${handOver}>
          <${UserPicker}
            label=${tm("assignTo")}
            name="assign_to"
            value=${colleague}
            onInput=${setColleague}
          />
          <button type="submit" disabled=${busy}>${tm("assignTo")}</button>
        </form>
        </div>
        <label class="pa-field">
          <span>${t("note")}</span>
          <textarea
            rows="2"
            maxLength="1000"
            value=${note}
            onInput=${(e: Event) => setNote((e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </label>
        <div class="pa-decide-row">
        <button data-key="r" aria-keyshortcuts="r" disabled=${busy} onClick=${() =>
          decide("resolve")}>${t("resolve")}</button>
        <button data-key="d" aria-keyshortcuts="d" disabled=${busy} onClick=${() =>
          decide("dismiss")}>${t("dismiss")}</button>
        ${duration.field}
        <button class="pa-danger" disabled=${busy} onClick=${() => decide("resolve", true)}>${tm(
          "resolveBan",
        )}</button>
        </div>
      </div>
    `
  }
    ${
    c.status !== "open" && note && html`
      <label class="pa-field">
        <span>${t("note")}</span>
        <textarea rows="2" readOnly value=${note}></textarea>
      </label>
    `
  }
    <h2>${detail.message ? t("context") : t("dialog")}</h2>
    ${!isFullAdmin() && html`<p class="pa-muted">${tm("moderatorHint")}</p>`}
    ${detail.message_deleted && html`<p class="pa-warn-text">${t("messageDeleted")}</p>`}
    <div class="pa-list pa-context">
      ${
    detail.context.map((m) =>
      html`<${MessageItem} key=${m.id} m=${m} highlight=${m.id === c.message_id} />`
    )
  }
    </div>
    ${
    isFullAdmin() && html`
      <p>
        <a data-open-at-message href=${c.message_id
          ? link("dialog", c.reporter, c.user_id, c.message_id)
          : link("dialog", c.reporter, c.user_id)}>${c.message_id
          ? tm("openAtMessage")
          : t("openDialog")}: ${s.name(c.reporter)} ↔ ${s.name(c.user_id)}</a>
      </p>
    `
  }
  </section>`;
}
