/** Live monitor: every new message of every user as it is sent; pause, filter, activity counts. */
import { useEffect, useState } from "preact/hooks";
import { FilteredFeed } from "./FilteredFeed.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { MessageItem } from "./MessageItem.ts";
import { loadMessages } from "./messages.ts";
import { store, useLive, useStore } from "./store.ts";

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

/** Rows rendered at first; "Load more" shows the next rows (then older pages from the server). */
const WINDOW = 100;

/** A quiet summary for screen readers: at most one announcement every few seconds. */
function useAnnouncement(count: number): string {
  const [said, setSaid] = useState(count);
  const [text, setText] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => {
      if (count > said) setText(t("newWhilePaused", { n: count - said }));
      setSaid(count);
    }, 5000);
    return () => clearTimeout(timer);
  }, [count > said]);
  return text;
}

async function loadOlder(setBusy: (b: boolean) => void, setEnd: (e: boolean) => void) {
  const oldest = store.live[store.live.length - 1];
  setBusy(true);
  try {
    const page = await loadMessages({ limit: 100 }, oldest?.id);
    store.addOlder(page.items);
    if (!page.next) setEnd(true);
  } catch {
    // The button stays; the next press tries again.
  } finally {
    setBusy(false);
  }
}

export function Monitor() {
  const s = useStore();
  const live = useLive();
  const [filter, setFilter] = useState("");
  // The filter asks the server once typing pauses.
  const [who, setWho] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setWho(filter.trim()), 300);
    return () => clearTimeout(timer);
  }, [filter]);
  const [rows, setRows] = useState(WINDOW);
  const [busy, setBusy] = useState(false);
  const [end, setEnd] = useState(false);
  const visible = live.slice(0, rows);
  const announced = useAnnouncement(store.liveVersion);
  const more = () => {
    setRows(rows + WINDOW);
    if (rows + WINDOW > live.length && !end) loadOlder(setBusy, setEnd);
  };
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
        data-search
        placeholder=${t("filterUser")}
        aria-label=${t("filterUser")}
        value=${filter}
        onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)}
      />
    </div>
    <p class="pa-sr" role="status">${announced}</p>
    ${
    who ? html`<${FilteredFeed} key=${who} who=${who} />` : html`
      <div class="pa-list pa-live">
        ${visible.map((m) => html`<${MessageItem} key=${m.id} m=${m} />`)}
      </div>
      ${visible.length === 0 && html`<p class="pa-muted">${t("noMessages")}</p>`}
      ${(live.length > rows || !end) && live.length > 0 &&
        html`<button class="pa-more" disabled=${busy} onClick=${more}>${t("loadMore")}</button>`}
    `
  }
  </section>`;
}
