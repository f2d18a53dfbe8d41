/**
 * A message's menu (translate into each target language, report), opened by its ⋯ button on
 * hover, by a long press or right click (contextmenu), or from the keyboard: arrow keys move
 * between the messages of the log, Enter or the context-menu key opens the focused one's menu.
 * The messages and their ⋯ buttons are out of the tab order (one tab stop for the whole log).
 */
import { isMissing } from "../widget/api_error.ts";
import type { Message } from "../widget/types.ts";
import { call, errorText, html, Icon, notify, S, t, update } from "./core.ts";
import { MENU } from "../widget/icons.ts";
import { canChange, deleteOwn, startEdit } from "./edit.ts";

/** A language's name in the UI language ("de" → "German"). */
function langName(code: string): string {
  try {
    return new Intl.DisplayNames(S.lang, { type: "language" }).of(code)!;
  } catch {
    return code;
  }
}

/** Translates a received message into `lang`; the result shows under the original. */
async function translate(id: string, lang: string) {
  S.menu = "";
  try {
    S.translations[id] = (await call<{ text: string }>(
      "POST",
      `/api/v1/messages/${id}/translate`,
      { lang },
    )).text;
  } catch (e) {
    if (isMissing(e)) S.feat.translate = false;
    notify(errorText(e), true);
  }
  update();
}

/**
 * Target languages as [code, label]: the `langs` option (as far as the server supports them),
 * else the UI's. An item is a code, or the original's `{name, textName}` whose textName is the
 * label it showed (read, never written: the page's objects stay as they are).
 */
function targets(): [string, string][] {
  const want = (S.opts.langs?.length ? S.opts.langs : [S.lang]).map((l): [string, string] =>
    typeof l === "string" ? [l, langName(l)] : [String(l.name), String(l.textName ?? l.name)]
  );
  const have = S.feat.languages;
  const ok = want.filter(([l]) => !have.length || have.includes(l));
  return ok.length ? ok : want;
}

/** The menu items `m` has for this user (none: no ⋯ button); Reply comes from widget-chat.js. */
function items(m: Message) {
  return [S.msgItem?.(m), ...ownItems(m)].filter(Boolean);
}

function ownItems(m: Message) {
  if (canChange(m)) {
    return [
      html`<button role="menuitem" class="edit" onClick=${() => startEdit(m)}>${
        t("edit")
      }</button>`,
      html`<button role="menuitem" class="delete" onClick=${() => deleteOwn(m)}>${
        t("del")
      }</button>`,
    ];
  }
  if (m.from !== S.peer) return [];
  const langs = S.feat.translate ? targets() : [];
  const tr = ([l, label]: [string, string]) =>
    html`<button role="menuitem" class="translate" lang=${l} onClick=${() => translate(m.id, l)}>${
      langs[1] ? `${t("translate")}: ${label}` : t("translate")
    }</button>`;
  const report = () => {
    S.menu = "";
    S.report = { peer: m.from, message_id: m.id };
    S.focus = ".rform input";
    update();
  };
  return [
    ...langs.map(tr),
    S.feat.report &&
    html`<button role="menuitem" class="report" onClick=${report}>${t("report")}</button>`,
  ].filter(Boolean);
}

/** Opens the menu of `m` (from a long press, right click or the keyboard). */
export function openMenu(e: Event, m: Message) {
  if (!items(m).length) return;
  e.preventDefault();
  S.menu = "m:" + m.id;
  S.focus = `[data-id="${m.id}"] .menu button`;
  update();
}

/** Arrow keys move between messages; Enter or the context-menu key opens a message's menu. */
export function logKey(e: KeyboardEvent) {
  const log = e.currentTarget as HTMLElement;
  const msgs = [...log.querySelectorAll<HTMLElement>(".msg")];
  const at = msgs.indexOf(e.target as HTMLElement);
  const k = e.key;
  const go = k === "ArrowUp" ? (at < 0 ? msgs.length : at) - 1 : k === "ArrowDown" ? at + 1 : -2;
  if (go > -2) {
    e.preventDefault();
    msgs[Math.max(0, Math.min(go, msgs.length - 1))]?.focus();
  } else if (at >= 0 && (k === "Enter" || k === "ContextMenu" || (k === "F10" && e.shiftKey))) {
    const m = S.threads[S.peer!]?.msgs.find((x) => x.id === msgs[at].dataset.id);
    if (m) openMenu(e, m);
  }
}

/** The ⋯ button of the message `m` and its menu when open. */
export function MessageActions({ m }: { m: Message }) {
  const list = items(m);
  const open = S.menu === "m:" + m.id;
  if (!list.length) return null;
  return html`
    <div
      class="acts"><button class="mact" tabindex="-1" aria-label=${t(
        "actions",
      )} aria-haspopup="menu" aria-expanded=${open} onClick=${(e: Event) =>
        open ? (S.menu = "", update()) : openMenu(e, m)}>${Icon(MENU)}</button>${open &&
        html`<div class="menu" role="menu">${list}</div>`}</div>
  `;
}
