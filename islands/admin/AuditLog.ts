/** The audit log: every admin action, newest first, filtered by actor, action and target. */
import type { AuditRow } from "../../kv/moderation/audit.ts";
import { call } from "./api.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { actionLabel, ACTIONS, tm } from "./i18n_mod.ts";
import { ExportLinks } from "./ExportLinks.ts";
import { useState } from "preact/hooks";
import type { Profile } from "./store.ts";
import { resolveUser, UserPicker } from "./UserPicker.ts";
import { actorName } from "./Moderation.ts";
import { Pager, usePaged } from "./paged.ts";
import { useStore } from "./store.ts";

/** What an action was done to, as a link with names (not a bare id). */
function Target({ r, name }: { r: AuditRow; name: (id: string) => string }) {
  const d = (r.details ?? {}) as Record<string, string>;
  const who = (id: string) => html`<a href=${link("user", id)}>${name(id)}</a>`;
  if (r.action.startsWith("user.")) return who(r.target);
  if (r.action === "message.delete" && d.from && d.to) {
    return html`${who(d.from)} → ${who(d.to)}${d.text ? html`: <q>${d.text}</q>` : ""}`;
  }
  if (r.action.startsWith("complaint.")) {
    return html`<a href=${link("complaints", r.target)}>${t("complaint")}</a>${
      d.user_id
        ? html`
          · ${who(d.user_id)}
        `
        : ""
    }`;
  }
  return html`<code>${r.target}</code>`;
}

type Filter = { by?: string; action?: string; target?: string };

/** Requests one load (or "search further") makes at most: filtered, each reads 1,000 rows. */
const AUDIT_REQUESTS = 5;

export function AuditLog() {
  const s = useStore();
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [target, setTarget] = useState("");
  const [filter, setFilter] = useState<Filter>({});
  const [error, setError] = useState("");
  const list = usePaged(
    async (cursor) => {
      const r = await call<
        {
          audit: AuditRow[];
          next_cursor: string | null;
          scanned: number;
          users: Record<string, Profile>;
        }
      >("GET", "/api/v1/admin/audit", { params: { ...filter, cursor, limit: "50" } });
      s.addNames(r.users);
      return { items: r.audit, next: r.next_cursor, scanned: r.scanned };
    },
    [filter, s.bansVersion, s.complaintsVersion, s.deleted.size],
    {
      fill: 50,
      requests: AUDIT_REQUESTS,
    },
  );
  const apply = async (e: Event) => {
    e.preventDefault();
    setError("");
    try {
      const by = actor.trim() === "manage_api"
        ? "manage_api"
        : actor.trim()
        ? await resolveUser(actor)
        : undefined;
      setFilter({ by, action: action || undefined, target: target.trim() || undefined });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`
    <section class="pa-view">
      <form class="pa-form" onSubmit=${apply} data-audit-filters>
        <${UserPicker} label=${tm(
          "actor",
        )} name="audit_by" value=${actor} onInput=${setActor} required=${false} />
        <label class="pa-field">
          <span>${t("action")}</span>
          <select name="action" value=${action} onChange=${(e: Event) =>
            setAction((e.target as HTMLSelectElement).value)}>
            <option value="">${tm("anyAction")}</option>
            ${Object.keys(ACTIONS).map((code) =>
              html`<option value=${code}>${actionLabel(code)}</option>`
            )}
          </select>
        </label>
        <label class="pa-field">
          <span>${tm("targetId")}</span>
          <input name="target" maxLength="64" value=${target} onInput=${(e: Event) =>
            setTarget((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">${tm("apply")}</button>
        <${ExportLinks} view="audit" params=${filter} />
      </form>
      ${error && html`<p class="pa-error" role="alert">${error}</p>`}
      <table class="pa-table">
        <thead>
          <tr>
            <th>${t("when")}</th>
            <th>${t("who")}</th>
            <th>${t("action")}</th>
            <th>${t("target")}</th>
            <th>${t("note")}</th>
          </tr>
        </thead>
        <tbody>
            ${list.items.map((r) =>
              html`
                <tr key=${r.id}>
                  <td data-label=${t("when")}>${when(r.at)}</td>
                  <td data-label=${t("who")}>${actorName(s, r.by)}</td>
                  <td data-label=${t("action")} data-action=${r.action}>${actionLabel(
                    r.action,
                  )}</td>
                  <td data-label=${t("target")}>
                    <${Target} r=${r} name=${(id: string) => s.name(id)} />
                  </td>
                  <td data-label=${t("note")}>${r.note}</td>
                </tr>
              `
            )}
          </tbody>
      </table>
      <${Pager} list=${list} empty=${t("noAudit")} />
    </section>
  `;
}
