/**
 * The original's options in the original's meaning, on its pages: sound (`useSsound` and the
 * choice it stored), `page_size`, `user_url_tpl` and `user_avatar_url_tpl` as prefixes,
 * `file_dir`, and what `open` / `openDialog()` open (its first dialog, not the list).
 */
import type { DialogItem } from "../widget/types.ts";
import { C } from "./core.ts";

/** Parley's stored mute choice (islands/widget/sound.ts) and the original's sound switch. */
const MUTED = "parley:muted";
const ORIGINAL_SOUND = "StarCometChat.useSsound";

/**
 * The original kept `localStorage["StarCometChat.useSsound"]` ("0" = off). It is read once: while
 * Parley has no choice of its own stored, it becomes Parley's (then only Parley's counts).
 */
function carryOverMute() {
  try {
    const old = localStorage.getItem(ORIGINAL_SOUND);
    if (localStorage.getItem(MUTED) !== null || old === null) return;
    C.S.muted = old == "0";
    localStorage.setItem(MUTED, C.S.muted ? "1" : "0");
  } catch {
    // storage blocked: nothing to carry over
  }
}

/**
 * The original's dialog opened by `open` and `openDialog()`: the top one of its list (unread
 * first, then the newest) that is not blocked; the list when there is none.
 */
async function firstDialog() {
  let peer: string | undefined;
  try {
    const r = await C.call<{ dialogs: DialogItem[] }>("GET", "/api/v1/dialogs?limit=30");
    // The server lists the newest first; a stable sort puts the unread ones before the rest.
    peer = r.dialogs.map((d) => [C.absorbItem(d), d.unread > 0] as const)
      .filter(([p]) => p !== "system" && !C.person(p).blocked)
      .sort((a, b) => +b[1] - +a[1])[0]?.[0];
  } catch {
    // the list shows the error
  }
  C.openDialog(peer);
}

/** `[[img=name]]` (how the original stored an image) as that image from `file_dir`. */
function imageTexts(dir: string) {
  C.addCss(".fimg{display:block;max-width:100%;border-radius:8px}");
  C.S.text = (text) =>
    text.split(/\[\[img=([\w.]+)\]\]/).map((part, i) => {
      if (!(i % 2)) return part;
      const url = new URL(`${dir.replace(/\/+$/, "")}/${part}`, location.href);
      return /^https?:$/.test(url.protocol)
        ? C
          .html`<a href=${url.href} target="_blank" rel="noopener"><img class="fimg" src=${url.href} alt=${part} /></a>`
        : part;
    });
}

/** Applies the original's meanings to the options (Parley's own copy of them). */
export function applyOptions() {
  const o = C.S.opts;
  carryOverMute();
  // The original read its stored switch first and let the option override it.
  if (o.useSsound !== undefined) C.S.muted = !o.useSsound;
  if (o.page_size) o.page_size = Math.min(Math.max(Math.trunc(+o.page_size) || 30, 1), 200);
  // The original linked every name to `//<this host>/<login>` unless told otherwise, and its
  // templates were prefixes: the login (links) or the profile's avatar_url (avatars) followed.
  const url = o.user_url_tpl ?? `//${location.host}/`;
  o.user_url_tpl = /\{(id|login)\}/.test(url) ? url : url + "{login}";
  // An avatar prefix goes before the host's relative avatar_url as written (the server keeps it
  // as avatar_path); absolute avatars stay as they are. A template with placeholders still fills
  // the gaps of users without one.
  const avatar = o.user_avatar_url_tpl ?? `//${location.host}/`;
  if (!/\{(id|login)\}/.test(avatar)) {
    delete o.user_avatar_url_tpl;
    C.S.avatar = (p) => p.avatar_path && avatar + p.avatar_path;
  }
  imageTexts(o.file_dir ?? "chatFiles");
  C.S.first = firstDialog;
  C.update();
}
