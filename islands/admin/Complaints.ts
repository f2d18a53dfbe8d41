/** The complaints queue by status; new complaints arrive live (the list refetches). */
import { useState } from "preact/hooks";
import { call } from "./api.ts";
import { type Complaint, reasonLabel } from "./complaints_api.ts";
import { ComplaintView } from "./ComplaintView.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Profile, useStore } from "./store.ts";

const TABS = ["open", "resolved", "dismissed", "all"] as const;

function ComplaintList() {
  const s = useStore();
  const [status, setStatus] = useState<typeof TABS[number]>("open");
  const list = usePaged(async (cursor) => {
    const r = await call<
      { complaints: Complaint[]; next_cursor: string | null; users: Record<string, Profile> }
    >("GET", "/api/v1/admin/complaints", { params: { status, cursor, limit: "30" } });
    s.addNames(r.users);
    return { items: r.complaints, next: r.next_cursor };
  }, [status, s.complaintsVersion]);
  return html`
    <section class="pa-view">
      <div class="pa-tabs" role="tablist">
          ${TABS.map((tab) =>
            html`
              <button
                role="tab"
                aria-selected=${tab === status}
                class=${tab === status ? "pa-tab pa-active" : "pa-tab"}
                onClick=${() => setStatus(tab)}
              >${t(tab)}</button>
            `
          )}
        </div>
      <ul class="pa-complaints">
          ${list.items.map((c) =>
            html`
              <li key=${c.id} class=${"pa-complaint pa-" + c.status}>
                <a href=${link("complaints", c.id)}>
                          <span class="pa-muted">${when(c.created_at)}</span>
                          <span><b>${s.name(c.reporter)}</b> → <b>${s.name(c.user_id)}</b></span>
                          <span class="pa-badge">${reasonLabel(c.reason)}</span>
                          ${c.status !== "open" &&
                            html`<span class="pa-badge">${t(c.status)}</span>`}
                          ${c.text && html`<span class="pa-excerpt">${c.text.slice(0, 140)}</span>`}
                        </a>
              </li>
            `
          )}
        </ul>
      <${Pager} list=${list} empty=${t("noComplaints")} />
    </section>
  `;
}

export function Complaints({ id = "" }: { id?: string }) {
  return id ? html`<${ComplaintView} key=${id} id=${id} />` : html`<${ComplaintList} />`;
}
