/**
 * Search in the open dialog: a button in its top bar opens a search field over the history. The
 * server searches its history newest first and pages by a scan budget (kv/messaging/search.ts):
 * an answer may have few or no matches and a cursor to go on, so this asks again by itself a few
 * times, then offers "Search further back". Choosing a result closes the search and brings the
 * message into view in its dialog.
 */
import type { Message } from "../../kv/types.ts";
import { call, dialogPath, errorText, html, Icon, S, t, update } from "../widget_extra/core.ts";
import { CLOSE, SEARCH } from "../widget/icons.ts";
import { jumpTo } from "./reply.ts";

interface Found {
  peer: string;
  q: string;
  items: Message[];
  cursor: string | null;
  busy: boolean;
  error?: string;
}

/** The open search (one at a time, of the open dialog). */
let st: Found | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Asks for the next pages until some matches came or AUTO_PAGES answers have been read. */
async function more(s: Found, pages = 5) {
  s.busy = true;
  update();
  try {
    while (pages-- > 0 && st === s) {
      const r = await call<{ messages: Message[]; next_cursor: string | null }>(
        "GET",
        `${dialogPath(s.peer)}/search?q=${encodeURIComponent(s.q)}${
          s.cursor ? `&cursor=${s.cursor}` : ""
        }`,
      );
      if (st !== s) return;
      s.items.push(...r.messages);
      s.cursor = r.next_cursor;
      if (!s.cursor || r.messages.length) break;
    }
  } catch (e) {
    s.error = errorText(e);
  }
  s.busy = false;
  update();
}

function onInput(e: Event) {
  const q = (e.currentTarget as HTMLInputElement).value;
  clearTimeout(timer);
  st = { peer: st!.peer, q, items: [], cursor: null, busy: false };
  update();
  // Asked once typing pauses, not on every key.
  const s = st;
  if (q.trim()) timer = setTimeout(() => more(s), 300);
}

function close() {
  st = null;
  S.focus = ".find";
  update();
}

function onKey(e: KeyboardEvent) {
  if (e.key === "Escape") {
    e.stopPropagation();
    close();
  }
}

function pick(m: Message) {
  const peer = st!.peer;
  st = null;
  jumpTo(peer, m.id);
}

/** A result: the time and the text, the text clipped to two lines. */
const Item = ({ m }: { m: Message }) =>
  html`<li><button class="hit" onClick=${() => pick(m)}><time datetime=${m.created_at}>${
    new Date(m.created_at).toLocaleString(S.lang, { dateStyle: "short", timeStyle: "short" })
  }</time> <span>${m.text}</span></button></li>`;

/** The search button of the dialog with `peer`, and the search over its history when open. */
export function Search({ peer }: { peer: string }) {
  const open = st?.peer === peer;
  if (st && !open) st = null;
  const toggle = () => {
    st = open ? null : { peer, q: "", items: [], cursor: null, busy: false };
    S.focus = open ? ".find" : ".finder input";
    update();
  };
  const button = html`
    <button class="icon find" aria-label=${t("findIn")} title=${t("findIn")}
      aria-expanded=${open} onClick=${toggle}>${Icon(SEARCH)}</button>
  `;
  if (!open) return button;
  const s = st!;
  const status = s.busy
    ? t("searching")
    : s.error || (s.q.trim() && !s.cursor ? t("found", { n: s.items.length }) : "");
  return html`${button}<div class="finder" role="search" onKeyDown=${onKey}>
<div class="inrow"><input type="search" class="search grow" aria-label=${t("findIn")}
  placeholder=${t("findIn")} value=${s.q} onInput=${onInput} /><button class="icon"
  aria-label=${t("closeSearch")} title=${t("closeSearch")} onClick=${close}>${
    Icon(CLOSE)
  }</button></div>
<p class="status" role="status">${status}</p>
<ul class="hits">${s.items.map((m) => html`<${Item} key=${m.id} m=${m} />`)}</ul>
${
    s.cursor && !s.busy &&
    html`<button class="link" onClick=${() => more(s)}>${t("moreFound")}</button>`
  }
</div>`;
}
