/**
 * What the widget core hands to its lazily loaded parts (islands/widget_extra): the state, the
 * renderer's helpers and the few actions they build on. Those scripts are bundled separately and
 * must share these very objects (one state, one Preact), so they import the core only as types
 * and receive this when they register.
 */
import { call, dialogPath, login } from "./api.ts";
import { absorbItem, findContacts, loadDialogs } from "./contacts.ts";
import { draft, setDraft } from "./drafts.ts";
import { MessageBubble } from "./components/MessageBubble.ts";
import { Icon } from "./components/Icon.ts";
import { dayLabel } from "./format.ts";
import { html } from "./html.ts";
import { addStrings, errorText, tAny } from "./i18n.ts";
import { withExtra } from "./lazy.ts";
import { addCss } from "./mount.ts";
import { closePanel, openDialog } from "./panel_actions.ts";
import { nameOf, notify, person, S, thread, update } from "./store.ts";
import { absorb, loadHistory, sendFailed } from "./threads.ts";
import { setMuted } from "./sound.ts";

/** The core's internals for a lazy part (built on demand: no module-order surprises). */
export const coreApi = () => ({
  S,
  update,
  html,
  t: tAny,
  errorText,
  notify,
  nameOf,
  person,
  call,
  login,
  dialogPath,
  absorb,
  draft,
  setDraft,
  loadHistory,
  absorbItem,
  sendFailed,
  findContacts,
  loadDialogs,
  addCss,
  addStrings,
  openDialog,
  closePanel,
  withExtra,
  thread,
  dayLabel,
  Icon,
  MessageBubble,
  setMuted,
});

/** The core as a lazy part sees it. */
export type Core = ReturnType<typeof coreApi>;
