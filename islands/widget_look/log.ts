/**
 * How the open dialog's history is laid out once this script is there (the core's DialogView
 * calls these): messages of one sender within 5 minutes form a group (tight spacing, one tail),
 * a "New messages" line marks the first message that was unread when the dialog opened (scrolled
 * into view when the dialog opens, if it is on the first page), an empty dialog invites a first message, and messages that arrive
 * while the user reads further up are counted on a button that scrolls down.
 */
import type { DialogView, Snap } from "../widget/components/DialogView.ts";
import { DOWN } from "../widget/icons.ts";
import type { Message } from "../widget/types.ts";
import {
  dayLabel,
  html,
  Icon,
  MessageBubble,
  nameOf,
  person,
  S,
  t,
  thread,
  update,
} from "../widget_extra/core.ts";

/** What one open dialog keeps: unread when it opened, the first of them, arrivals below. */
interface LogState {
  unread: number;
  line?: string;
  /** The first loaded history has been scrolled to (the unread line into view). */
  placed?: boolean;
  down?: number;
  watching?: boolean;
}

const states = new WeakMap<DialogView, LogState>();

function stateOf(v: DialogView): LogState {
  let st = states.get(v);
  if (!st) states.set(v, st = { unread: S.unread[v.props.peer] || 0 });
  return st;
}

/** Two messages that share one group: same sender, same day, at most 5 minutes apart. */
const sameGroup = (a: Message | undefined, b: Message) =>
  a?.from === b.from && Date.parse(b.created_at) - Date.parse(a.created_at) < 3e5;

/** The history's items: day separators, the unread line, the messages, and what follows them. */
export function logItems(v: DialogView): unknown[] {
  const peer = v.props.peer;
  const th = thread(peer);
  const st = stateOf(v);
  // The unread line goes above the oldest of the messages that were unread, once it is loaded
  // (with more unread than one page, when the user scrolls up to it).
  for (let i = th.msgs.length, n = st.unread; n > 0 && i--;) {
    if (th.msgs[i].from === peer && !--n) st.line = th.msgs[i].id;
  }
  const items: unknown[] = [];
  let day = "";
  let prev: Message | undefined;
  for (const m of th.msgs) {
    const d = dayLabel(m.created_at);
    if (d !== day) items.push(html`<div class="day" key=${d}>${day = d}</div>`), prev = undefined;
    const line = m.id === st.line;
    if (line) items.push(html`<p class="new" key="new">${t("newMsgs")}</p>`);
    items.push(html`<${MessageBubble} key=${m.id} m=${m} cont=${!line && sameGroup(prev, m)} />`);
    prev = m;
  }
  if (th.loaded && !th.msgs.length) {
    // No invitation to greet someone the user blocked or the site does not know (the note
    // below says why).
    const p = person(peer);
    items.push(
      p.blocked || p.unknown
        ? html`<p class="empty">${t("noMsgs")}</p>`
        : html`<p class="empty hello">${t("hello", { n: nameOf(peer) })}</p>`,
    );
  }
  if (st.down) {
    items.push(html`<button class="down" onClick=${() => {
      v.log.current!.scrollTop = 1e9;
      S.focus = "textarea";
    }}>${t("newN", { n: st.down })}${Icon(DOWN)}</button>`);
  }
  return items;
}

/**
 * After the core placed the scroll position (`snap`: as it was before the update; none on the
 * first render): the unread line is brought into view once, and a message from the peer that
 * arrived while the user was not at the bottom is counted.
 */
export function logDidUpdate(v: DialogView, snap?: Snap) {
  const el = v.log.current!;
  const st = stateOf(v);
  if (!st.watching) {
    st.watching = true;
    // Scrolled (or taken) to the bottom: the arrivals have been seen.
    el.addEventListener("scroll", () => {
      if (st.down && el.scrollHeight - el.scrollTop - el.clientHeight < 60) {
        st.down = 0;
        update();
      }
    });
  }
  const line = el.querySelector(".new");
  if (!st.placed && thread(v.props.peer).loaded && (!snap || snap[2])) {
    st.placed = true;
    const gap = line ? line.getBoundingClientRect().top - el.getBoundingClientRect().top - 8 : 0;
    el.scrollTop += Math.min(0, gap);
  }
  const last = thread(v.props.peer).msgs.at(-1);
  if (snap && !snap[2] && last && last.id > v.last && last.from === v.props.peer) {
    st.down = (st.down || 0) + 1;
    update();
  }
}
