/** The audit log: every admin action, newest first. */
import type { AuditRow } from "../../kv/moderation/audit.ts";
import { call } from "./api.ts";
import { when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { Pager, usePaged } from "./paged.ts";
import { useStore } from "./store.ts";

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
                  <td data-label=${t("who")}>${s.name(r.by)}</td>
                  <td data-label=${t("action")}><code>${r.action}</code></td>
                  <td data-label=${t("target")}><code>${r.target}</code></td>
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
