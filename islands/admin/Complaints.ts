/**
 * The complaints queue: by status, user (reporter or accused) and date; who handles each; bulk
 * resolve / dismiss of the selected ones with a report of what was closed and skipped; export.
 * New complaints and colleagues' changes arrive live (the list refetches).
 */
import { useState } from "preact/hooks";
import { call } from "./api.ts";
import { type Complaint, reasonLabel } from "./complaints_api.ts";
import { ComplaintView } from "./ComplaintView.ts";
import { ExportLinks } from "./ExportLinks.ts";
import { link, localToIso, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { tm } from "./i18n_mod.ts";
import { actorName } from "./Moderation.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Range, RangeFields } from "./RangeFields.ts";
import { type Profile, useStore } from "./store.ts";
import { resolveUser, UserPicker } from "./UserPicker.ts";

const TABS = ["open", "resolved", "dismissed", "all"] as const;

interface Filters {
  user?: string;
  from?: string;
  to?: string;
}

interface BulkAnswer {
  closed: string[];
  skipped: { id: string; code: string }[];
  failed: { id: string }[];
}

/** The status tabs; arrow keys, Home and End move between them (the ARIA tabs pattern). */
function StatusTabs(
  { status, onChange }: { status: typeof TABS[number]; onChange: (s: typeof TABS[number]) => void },
) {
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(status);
    const keys: Record<string, number> = {
      ArrowRight: (i + 1) % TABS.length,
      ArrowLeft: (i + TABS.length - 1) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    };
    const to = keys[e.key];
    if (to === undefined) return;
    e.preventDefault();
    onChange(TABS[to]);
    const bar = e.currentTarget as HTMLElement;
    requestAnimationFrame(() =>
      bar.querySelector<HTMLElement>(`[data-status="${TABS[to]}"]`)?.focus()
    );
  };
  return html`
    <div class="pa-tabs" role="tablist" aria-label=${t("complaints")} onKeyDown=${onKey}>
      ${TABS.map((tab) =>
        html`
          <button
            role="tab"
            data-status=${tab}
            aria-selected=${tab === status}
            tabindex=${tab === status ? 0 : -1}
            class=${tab === status ? "pa-tab pa-active" : "pa-tab"}
            onClick=${() => onChange(tab)}
          >${t(tab)}</button>
        `
      )}
    </div>
  `;
}

function ComplaintList() {
  const s = useStore();
  const [status, setStatus] = useState<typeof TABS[number]>("open");
  const [typed, setTyped] = useState("");
  const [range, setRange] = useState<Range>({ from: "", to: "" });
  const [filters, setFilters] = useState<Filters>({});
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [note, setNote] = useState("");
  const [report, setReport] = useState("");
  const params = { status, ...filters };
  const list = usePaged(async (cursor) => {
    const r = await call<
      { complaints: Complaint[]; next_cursor: string | null; users: Record<string, Profile> }
    >("GET", "/api/v1/admin/complaints", { params: { ...params, cursor, limit: "30" } });
    s.addNames(r.users);
    return { items: r.complaints, next: r.next_cursor };
  }, [status, filters, s.complaintsVersion]);
  const apply = async (e: Event) => {
    e.preventDefault();
    setReport("");
    try {
      const user = typed.trim() ? await resolveUser(typed) : undefined;
      setFilters({ user, from: localToIso(range.from), to: localToIso(range.to) });
    } catch (err) {
      setReport((err as Error).message);
    }
  };
  const toggle = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const openIds = list.items.filter((c) => c.status === "open").map((c) => c.id);
  const bulk = async (action: "resolve" | "dismiss") => {
    try {
      const r = await call<BulkAnswer>("POST", "/api/v1/admin/complaints/bulk", {
        json: { action, ids: [...picked], note },
      });
      const skipped = r.skipped.map((x) =>
        `${x.id.slice(-6)} (${
          x.code === "not_found" ? tm("bulkSkippedMissing") : tm("bulkSkippedClosed")
        })`
      );
      setReport(
        tm("bulkDone", {
          closed: r.closed.length,
          skipped: skipped.length ? skipped.join(", ") : 0,
          failed: r.failed.length,
        }),
      );
      setPicked(new Set(r.failed.map((x) => x.id)));
      setNote("");
      list.reload();
    } catch (err) {
      setReport(`${t("error")}: ${(err as Error).message}`);
    }
  };
  return html`
    <section class="pa-view">
      <${StatusTabs} status=${status} onChange=${(x: typeof TABS[number]) => {
        setStatus(x);
        setPicked(new Set());
      }} />
      <form class="pa-form" onSubmit=${apply} data-complaint-filters>
        <${UserPicker}
          label=${tm("filterUserAny")}
          name="complaint_user"
          value=${typed}
          onInput=${setTyped}
          required=${false}
        />
        <${RangeFields} value=${range} onChange=${setRange} />
        <button type="submit">${tm("apply")}</button>
      </form>
      <div class="pa-toolbar">
        <label class="pa-check">
          <input
            type="checkbox"
            data-select-all
            checked=${openIds.length > 0 && openIds.every((id) => picked.has(id))}
            onChange=${(e: Event) =>
              setPicked(new Set((e.target as HTMLInputElement).checked ? openIds : []))}
          />
          ${tm("selectAll")}
        </label>
        ${picked.size > 0 && html`
          <span class="pa-muted">${tm("selected", { n: picked.size })}</span>
          <input
            aria-label=${t("note")}
            placeholder=${t("note")}
            maxLength="1000"
            value=${note}
            onInput=${(e: Event) => setNote((e.target as HTMLInputElement).value)}
          />
          <button data-bulk="resolve" onClick=${() => bulk("resolve")}>${tm("bulkResolve")}</button>
          <button data-bulk="dismiss" onClick=${() => bulk("dismiss")}>${tm("bulkDismiss")}</button>
        `}
        <${ExportLinks} view="complaints" params=${params} />
      </div>
      ${report && html`<p class="pa-notice" role="status" data-bulk-report>${report}</p>`}
      <ul class="pa-complaints">
        ${list.items.map((c) =>
          html`
            <li key=${c.id} class=${"pa-complaint pa-" + c.status}>
              ${c.status === "open" && html`
                <input
                  type="checkbox"
                  class="pa-pick"
                  aria-label=${`${tm("select")}: ${s.name(c.reporter)} → ${s.name(c.user_id)}`}
                  checked=${picked.has(c.id)}
                  onChange=${() => toggle(c.id)}
                />
              `}
              <a href=${link("complaints", c.id)} data-nav>
                <span class="pa-muted">${when(c.created_at)}</span>
                <span><b>${s.name(c.reporter)}</b> → <b>${s.name(c.user_id)}</b></span>
                <span class="pa-badge">${reasonLabel(c.reason)}</span>
                ${c.status !== "open" && html`<span class="pa-badge">${t(c.status)}</span>`}
                ${c.assignee && html`
                  <span class="pa-badge" data-assignee>${tm("assignee")}: ${actorName(
                    s,
                    c.assignee.user_id,
                  )}</span>
                `}
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
