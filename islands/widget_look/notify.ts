/**
 * System notifications (the Notification API) for messages that arrive while the tab is hidden.
 * Opt-in: the bell in the panel's top bar asks the browser's permission when the user switches
 * it on (never on load); the choice is kept in localStorage. A host passing
 * `notifications: false` gets neither the bell nor notifications. Of several tabs of the site
 * only one notifies: the one holding the "parley-notify" Web Lock (as for the beep).
 */
import { BELL, BELL_OFF } from "../widget/icons.ts";
import type { Message } from "../widget/types.ts";
import { html, Icon, nameOf, notify, openDialog, S, t, update } from "../widget_extra/core.ts";

const KEY = "parley:notify";
let leader = !navigator.locks;
navigator.locks?.request("parley-notify", () => new Promise(() => leader = true));

const supported = () => self.Notification && S.opts.notifications !== false;

function stored(): boolean {
  try {
    return localStorage.getItem(KEY) === "1";
  } catch {
    return false;
  }
}

/** Notifications are on: chosen here, allowed by the browser and the host. */
const on = () => supported() && stored() && Notification.permission === "granted";

function store(v: boolean) {
  try {
    localStorage.setItem(KEY, v ? "1" : "0");
  } catch {
    // storage blocked: notifications stay off
  }
}

async function toggle() {
  if (on()) store(false);
  else {
    const p = Notification.permission === "default"
      ? await Notification.requestPermission()
      : Notification.permission;
    store(p === "granted");
    if (p !== "granted") notify(t("notifyDenied"), true);
  }
  update();
}

/** The bell switch of the top bar (none if the host or the browser has no notifications). */
export function Bell() {
  if (!supported()) return null;
  const pressed = on();
  return html`
    <button class="icon bell" aria-pressed=${pressed} aria-label=${t("notifyOn")} title=${t(
      "notifyOn",
    )}
      onClick=${toggle}>${Icon(pressed ? BELL : BELL_OFF)}</button>
  `;
}

/** A message from the peer of its dialog arrived: a notification if the tab is hidden. */
export function notifyNew(m: Message) {
  if (!document.hidden || !leader || !on()) return;
  try {
    const n = new Notification(nameOf(m.from), {
      body: m.text || t("photo"),
      tag: "parley:" + m.from,
      lang: S.lang,
    });
    n.onclick = () => {
      focus();
      openDialog(m.from);
      n.close();
    };
  } catch {
    // some browsers allow notifications only from a service worker
  }
}
