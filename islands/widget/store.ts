/**
 * The widget's single state object and its change signal. Modules mutate `S` and call `update()`;
 * listeners (the renderer, the unread emitter, the title blinker) run once per batch of changes.
 */
import type { Features, InitOptions, Me, Message, Person, Profile, Row, Thread } from "./types.ts";

export interface Notice {
  text: string;
  error?: boolean;
}

export interface State {
  base: string;
  token?: string;
  /** When the token expires (ms since epoch). */
  expires?: number;
  me?: Me;
  opts: InitOptions;
  lang: "ru" | "en";
  /** Init finished (success was called); before that openDialog is queued. */
  ready?: boolean;
  open?: boolean;
  /** The open dialog's peer; "" or undefined shows the dialog list. */
  peer?: string;
  conn: "connecting" | "online" | "reconnecting" | "failed";
  /** Why signing in failed, when the reason is the user's own (not_a_chat_user). */
  failCode?: string;
  people: Record<string, Person>;
  rows: Map<string, Row>;
  listLoaded?: boolean;
  listBusy?: boolean;
  listCursor?: string | null;
  tab: "all" | "favourites" | "blocked";
  q: string;
  /** Contacts found for a tab other than "all" or a search; unset when showing dialogs. */
  found?: string[] | null;
  unread: Record<string, number>;
  /** Newest message id from each peer that this user has read. */
  readUpTo: Record<string, string>;
  threads: Record<string, Thread>;
  /** Per peer: when their "typing…" expires (ms since epoch, local clock). */
  typing: Record<string, number>;
  feat: Features;
  muted?: boolean;
  notice?: Notice | null;
  /** Error under the composer (send failed). */
  sendError?: string;
  /** The image upload's progress, or (`failed`) images that wait to be sent again. */
  upload?: { pct: number; abort: () => void; failed?: string; retry?: () => void } | null;
  translations: Record<string, string>;
  /** Which menu is open: "peer", "lang:<message id>", or "". */
  menu?: string;
  /** The open report form: about whom, which message, and why the last try was refused. */
  report?: { peer: string; message_id?: string; error?: string } | null;
  lightbox?: string;
  /** Text for the aria-live region (new message announcements). */
  announce?: string;
  /** The id of the own message being edited in place (islands/widget_extra/edit.ts). */
  editing?: string;
  /** A selector to focus after the next render. */
  focus?: string;
  /** What `openDialog()` opens: the list, or on an original page its first dialog (compat). */
  first?: () => void;
  /** A message menu's first item (widget-chat.js: Reply). */
  msgItem?: (m: Message) => unknown;
  /** Renders a message's text (compat: the original's `[[img=…]]` from `file_dir`; links). */
  text?: (text: string) => unknown;
  /** A user's avatar before the profile's own (compat: `user_avatar_url_tpl` + the host's path). */
  avatar?: (p: Profile) => string | undefined;
}

/** The state. Mutate it, then call `update()`. */
export const S: State = {
  base: "",
  opts: { user_id: "", user_key: "" },
  lang: "en",
  conn: "connecting",
  people: {},
  rows: new Map(),
  tab: "all",
  q: "",
  unread: {},
  readUpTo: {},
  threads: {},
  typing: {},
  // The rest are off (undefined) until the server's features say otherwise.
  feat: { max_image_bytes: 5 << 20, max_text: 4000 } as Features,
  translations: {},
};

const listeners: (() => void)[] = [];
let pending = false;

/** Runs `fn` after every batch of state changes. */
export function subscribe(fn: () => void) {
  listeners.push(fn);
}

/** Marks the state changed; listeners run once on the next microtask. */
export function update() {
  if (pending) return;
  pending = true;
  queueMicrotask(() => {
    pending = false;
    for (const l of listeners) l();
  });
}

/** The record of what the widget knows about `uid` (created on first use). */
export function person(uid: string): Person {
  return S.people[uid] ??= {};
}

/** The loaded history of the dialog with `peer` (created empty on first use). */
export function thread(peer: string): Thread {
  return S.threads[peer] ??= { msgs: [], more: true, busy: false, loaded: false };
}

/** Unread messages in total. */
export function unreadTotal(): number {
  let n = 0;
  for (const k in S.unread) n += S.unread[k];
  return n;
}

/** The display name of a user (their id until the profile is known). */
export function nameOf(uid: string): string {
  return person(uid).user?.name || uid;
}

/** Shows a short notice at the top of the panel for a few seconds. */
export function notify(text: string, error = false) {
  const n = S.notice = { text, error };
  update();
  setTimeout(() => S.notice === n && (S.notice = null, update()), 6000);
}
