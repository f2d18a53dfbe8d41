/**
 * The original StarCometChat object's other calls and fields, added to `window.StarCometChat`
 * on its pages: mapped onto Parley's UI where they mean something there, harmless no-ops where
 * Parley does the job by itself, and a one-time console warning where there is no equivalent
 * (docs/widget.md has the full table).
 */
import { C } from "./core.ts";

type Tab = "all" | "favourites" | "blocked";

/**
 * Shows the dialog list on a tab, its search box focused (when the panel is open; else the next
 * list shows that tab).
 */
function showTab(tab: Tab) {
  const S = C.S;
  S.tab = tab;
  if (S.open) {
    if (S.peer) last = S.peer;
    C.openDialog("");
  }
  C.findContacts();
}

/** The dialog the list replaced (toggleLeftColumn goes back to it). */
let last = "";

/** The original's narrow layout switch: the panel as a full-screen sheet, or back. */
function toggleMobileMode() {
  C.addCss(":host([data-mobile]) .panel{inset:0;width:auto;height:auto;border-radius:0}");
  document.querySelector("parley-widget")?.toggleAttribute("data-mobile");
}

/** The original's list column: in Parley's one-pane panel, list and dialog take turns. */
function toggleLeftColumn() {
  const S = C.S;
  if (!S.open) return;
  if (S.peer) showTab(S.tab);
  else if (last) C.openDialog(last);
}

/** The open dialog's peer, if any. */
const peer = () => (C.S.open && C.S.peer && C.S.peer !== "system" ? C.S.peer : "");

/** Favourite / block the open dialog's user (the menu's own action, from the extra parts). */
const mark = (kind: "favourite" | "blocked") => () => {
  const p = peer();
  if (p && C.S.feat.marks) C.withExtra((x) => x.toggleMark(p, kind));
};

/** The report form for the open dialog's user (the original asked to confirm, then sent). */
function sendAbuse() {
  const p = peer();
  if (p && C.S.feat.report) {
    C.withExtra(() => {
      C.S.report = { peer: p };
      C.S.focus = ".rform input";
      C.update();
    });
  }
}

/** The original's time format: HH:mm today, HH:mm DD.MM this year, else DD-MM-YYYY HH:mm. */
function getTimeString(ms: number | string): string {
  const d = new Date(+ms);
  const two = (n: number) => String(n).padStart(2, "0");
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  const dm = `${two(d.getDate())}.${two(d.getMonth() + 1)}`;
  if (Date.now() - d.getTime() < 864e5) return hm;
  return d.getFullYear() === new Date().getFullYear()
    ? `${hm} ${dm}`
    : `${dm.replace(".", "-")}-${d.getFullYear()} ${hm}`;
}

/** Calls Parley does by itself (layout, scroll, counters): nothing to do. */
const NOT_NEEDED = "chatResize chatUpdateSize bindUpdateScrollForImgLoad updateNewMessagesSum";

/** Calls with no equivalent: each warns once (why: docs/widget.md). */
const UNSUPPORTED = "sendMessage keydownSendMessage uploadFile translateMessage openDialogPage " +
  "getMessageHtml getContactHtml incrementNewMessage resetNewMessage addSubscriptionToUserStatus";

/** Adds the original's calls and read-only fields to the public object (its own stay). */
export function addCalls(api: Record<string, unknown>) {
  const S = C.S;
  const calls: Record<string, unknown> = {
    tabShowBase: () => showTab("all"),
    tabShowFavorite: () => showTab("favourites"),
    tabShowLoc: () => showTab("blocked"),
    tabShowSearch: () => showTab("all"),
    toggleLeftColumn,
    toggleMobileMode,
    toggleBlockUser: mark("blocked"),
    toggleFavoritUser: mark("favourite"),
    sendAbuse,
    searchInContacts: () => C.findContacts(),
    getUserInfo: () => peer() && { ...C.person(peer()).user },
    getTimeString,
  };
  for (const name of NOT_NEEDED.split(" ")) calls[name] = () => {};
  for (const name of UNSUPPORTED.split(" ")) {
    let warned = false;
    calls[name] = () => {
      if (!warned) console.warn(`Parley: StarCometChat.${name} is not supported (docs/widget.md)`);
      warned = true;
    };
  }
  for (const [name, fn] of Object.entries(calls)) api[name] ??= fn;
  // The original's fields, read-only views of Parley's state.
  const num = (id?: string) => (id && /^\d+$/.test(id) ? +id : id || undefined);
  Object.defineProperties(api, {
    opt: { get: () => ({ ...S.opts }) },
    interlocutor_id: { get: () => num(peer()) },
    newMessagesSum: { get: () => (api.countNewMessagesSum as () => number)() },
    initSuccess: { get: () => !!S.ready },
    initProgress: { get: () => true },
  });
}
