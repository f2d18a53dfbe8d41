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
  // Arrow keys, Home and End move between the status tabs (the ARIA tabs pattern).
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(status);
    const to = e.key === "ArrowRight"
      ? (i + 1) % TABS.length
      : e.key === "ArrowLeft"
      ? (i + TABS.length - 1) % TABS.length
      : e.key === "Home"
      ? 0
      : e.key === "End"
      ? TABS.length - 1
      : -1;
    if (to < 0) return;
    e.preventDefault();
    setStatus(TABS[to]);
    const bar = e.currentTarget as HTMLElement;
    requestAnimationFrame(() =>
      bar.querySelector<HTMLElement>(`[data-status="${TABS[to]}"]`)?.focus()
    );
  };
  return html`
    <section class="pa-view">
      <div class="pa-tabs" role="tablist" aria-label=${t("complaints")} onKeyDown=${onKey}>
          ${TABS.map((tab) =>
            html`
              <button
                role="tab"
                data-status=${tab}
                aria-selected=${tab === status}
                tabindex=${tab === status ? 0 : -1}
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
