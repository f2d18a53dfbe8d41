/**
 * The widget core's state and helpers, bound when this script registers (islands/widget/lazy.ts).
 * This bundle must share the core's very objects (one state, one Preact), so the core is
 * imported only as types; modules here import these bindings instead. widget-chat.js
 * (islands/widget_chat) and widget-look.js (islands/widget_look) bind their own copies of this
 * module the same way.
 */
import type { Core } from "../widget/core_api.ts";

export let S: Core["S"];
export let update: Core["update"];
export let html: Core["html"];
export let t: Core["t"];
export let errorText: Core["errorText"];
export let notify: Core["notify"];
export let nameOf: Core["nameOf"];
export let person: Core["person"];
export let call: Core["call"];
export let login: Core["login"];
export let dialogPath: Core["dialogPath"];
export let absorb: Core["absorb"];
export let absorbItem: Core["absorbItem"];
export let sendFailed: Core["sendFailed"];
export let findContacts: Core["findContacts"];
export let loadDialogs: Core["loadDialogs"];
export let addCss: Core["addCss"];
export let addStrings: Core["addStrings"];
export let loadHistory: Core["loadHistory"];
export let draft: Core["draft"];
export let setDraft: Core["setDraft"];
export let withExtra: Core["withExtra"];
export let thread: Core["thread"];
export let openDialog: Core["openDialog"];
export let closePanel: Core["closePanel"];
export let dayLabel: Core["dayLabel"];
export let Icon: Core["Icon"];
export let MessageBubble: Core["MessageBubble"];
export let setMuted: Core["setMuted"];

/** Takes the core's internals (once, before anything here runs). */
export function bind(core: Core) {
  ({
    S,
    update,
    html,
    t,
    errorText,
    notify,
    nameOf,
    person,
    call,
    login,
    dialogPath,
    absorb,
    absorbItem,
    sendFailed,
    findContacts,
    loadDialogs,
    addCss,
    addStrings,
    loadHistory,
    draft,
    setDraft,
    withExtra,
    thread,
    openDialog,
    closePanel,
    dayLabel,
    Icon,
    MessageBubble,
    setMuted,
  } = core);
}
