/** The audit log: every admin action, newest first. */
import type { AuditRow } from "../../kv/moderation/audit.ts";
import { call } from "./api.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { lang, t } from "./i18n.ts";
import { actorName } from "./Moderation.ts";
import { Pager, usePaged } from "./paged.ts";
import { useStore } from "./store.ts";

const ACTIONS: Record<string, { ru: string; en: string }> = {
  "message.delete": { ru: "удалил сообщение", en: "deleted a message" },
  "user.ban": { ru: "заблокировал", en: "banned" },
  "user.unban": { ru: "снял блокировку", en: "unbanned" },
  "complaint.resolve": { ru: "решил жалобу", en: "resolved a complaint" },
  "complaint.dismiss": { ru: "отклонил жалобу", en: "dismissed a complaint" },
};

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

export function AuditLog() {
  const s = useStore();
  const list = usePaged(async (cursor) => {
    const r = await call<{ audit: AuditRow[]; next_cursor: string | null }>(
      "GET",
      "/api/v1/admin/audit",
      {
        params: { cursor, limit: "50" },
      },
    );
    return { items: r.audit, next: r.next_cursor };
  }, [s.bansVersion, s.complaintsVersion, s.deleted.size]);
  return html`
    <section class="pa-view">
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
                  <td data-label=${t("action")}>${ACTIONS[r.action]?.[lang] ?? r.action}</td>
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
