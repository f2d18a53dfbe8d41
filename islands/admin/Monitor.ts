/** Live monitor: every new message of every user as it is sent; pause, filter, activity counts. */
import { useState } from "preact/hooks";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { MessageItem } from "./MessageItem.ts";
import { useStore } from "./store.ts";

function StatsBar() {
  const s = useStore();
  const d = s.stats?.dialogs;
  const cell = (label: string, n: number | undefined) =>
    html`<div class="pa-stat"><b>${n ?? "…"}</b><span>${label}</span></div>`;
  return html`<div class="pa-stats" aria-label=${t("dialogsActive")}>
    <span class="pa-stats-title">${t("dialogsActive")}:</span>
    ${cell(t("hour"), d?.hour)} ${cell(t("day"), d?.day)} ${cell(t("week"), d?.week)}
    ${cell(t("month"), d?.month)}
    <a class="pa-stat" href="#/complaints">
      <b>${s.stats?.complaints.open ?? "…"}</b><span>${t("openComplaints")}</span>
    </a>
  </div>`;
}

export function Monitor() {
  const s = useStore();
  const [filter, setFilter] = useState("");
  const f = filter.trim().toLowerCase();
  const shown = f
    ? s.live.filter((m) =>
      [m.from, m.to, s.name(m.from), s.name(m.to)].some((x) => x.toLowerCase().includes(f))
    )
    : s.live;
  return html`<section class="pa-view">
    <${StatsBar} />
    <div class="pa-toolbar">
      <span class=${s.connected ? "pa-dot pa-on" : "pa-dot"} role="status">
        ${s.connected ? t("live") : t("reconnecting")}
      </span>
      <button class="pa-pause" aria-pressed=${s.paused} onClick=${() => s.setPaused(!s.paused)}>
        ${s.paused ? t("resume") : t("pause")}
      </button>
      ${
    s.paused && s.buffered.length > 0 &&
    html`<span class="pa-badge">${t("newWhilePaused", { n: s.buffered.length })}</span>`
  }
      <input
        type="search"
        class="pa-filter"
        placeholder=${t("filterUser")}
        aria-label=${t("filterUser")}
        value=${filter}
        onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)}
      />
    </div>
    <div class="pa-list pa-live" role="log" aria-live="polite">
      ${shown.map((m) => html`<${MessageItem} key=${m.id} m=${m} />`)}
    </div>
    ${shown.length === 0 && html`<p class="pa-muted">${t("noMessages")}</p>`}
  </section>`;
}
