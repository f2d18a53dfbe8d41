/** A received message's actions: translate (with a language menu) and report. */
import { isMissing } from "../widget/api_error.ts";
import type { Message } from "../widget/types.ts";
import { call, errorText, html, notify, S, t, update } from "./core.ts";

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

/** Target languages: the `langs` option (as far as the server supports them), else the UI's. */
function targets(): string[] {
  const want = S.opts.langs?.length ? S.opts.langs : [S.lang];
  const have = S.feat.languages;
  const ok = want.filter((l) => !have.length || have.includes(l));
  return ok.length ? ok : want;
}

/** The translate and report links under the message `m`. */
export function MessageActions({ m }: { m: Message }) {
  const langs = targets();
  const key = "lang:" + m.id;
  const open = S.menu === key;
  const tr = () => {
    if (!langs[1]) return translate(m.id, langs[0]);
    S.menu = open ? "" : key;
    S.focus = ".acts .menu button";
    update();
  };
  const report = () => {
    S.report = { peer: m.from, message_id: m.id };
    S.focus = ".rform input";
    update();
  };
  return html`<div class="acts">${
    S.feat.translate &&
    html`<button class="link translate" aria-expanded=${
      langs[1] ? open : undefined
    } onClick=${tr}>${t("translate")}</button>`
  }${
    open && html`<div class="menu" role="menu">${
      langs.map((l) =>
        html`<button role="menuitem" lang=${l} onClick=${() => translate(m.id, l)}>${
          langName(l)
        }</button>`
      )
    }</div>`
  }${
    S.feat.report && html`<button class="link report" onClick=${report}>${t("report")}</button>`
  }</div>`;
}
