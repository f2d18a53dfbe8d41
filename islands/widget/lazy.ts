/**
 * Parts most visits never use are separate scripts, fetched from the Parley base URL when the
 * browser is idle after init or when first needed: `widget-extra.js` (reports, translation, image
 * upload and viewer, the favourite / block menu, contacts tabs, sounds, the message menu),
 * `widget-chat.js` (replies, links, the outbox, search, captions) and `widget-look.js` (the
 * history's grouping and unread line, notifications, the sheet's back button, the emoji picker),
 * both always with widget-extra.js, and
 * the language packs `widget-en.js` / `widget-ru.js` (the core's strings, during init), and
 * `widget-compat.js` (the original Star.Comet-Chat's calls, during init on its pages). Each is a classic script that hands its contents to a callback set on its own
 * <script> element, so the page gets no new globals, and names its build id, so a script from
 * another build is refused (the URL carries the id, so caches keep matching pairs together).
 */
import type { Chat } from "../widget_chat/parts.ts";
import type { Extra as Parts } from "../widget_extra/parts.ts";
import type { Look } from "../widget_look/parts.ts";
import { BUILD } from "./build_id.ts";
import { type Core, coreApi } from "./core_api.ts";
import { t } from "./i18n.ts";
import { notify, S, update } from "./store.ts";

/** A lazy script's <script> element, as the script itself finds it (`document.currentScript`). */
export type LazyScript = HTMLScriptElement & {
  parley(build: string, make: (core: Core) => unknown): void;
};

const loading: Record<string, Promise<unknown>> = {};

/** Loads `widget-<part>.js` once (again after a failure) and resolves with what it provides. */
export function load<T>(part: "extra" | "chat" | "look" | "en" | "ru" | "compat"): Promise<T> {
  return (loading[part] ??= new Promise((ok, fail) => {
    const el = document.createElement("script") as LazyScript;
    el.src = `${S.base}/widget-${part}.js?v=${BUILD}`;
    el.parley = (build, make) => build === BUILD ? ok(make(coreApi())) : fail();
    // The script calls `parley` while it runs, before `load`: a script that did not is refused.
    el.onload = el.onerror = () => {
      el.remove();
      fail(new Error(`widget-${part}.js did not load`));
    };
    document.head.append(el);
  }).catch((e) => {
    delete loading[part];
    throw e;
  })) as Promise<T>;
}

/** The lazy scripts' parts, as one object. */
export type Extra = Parts & Chat & Look;

/** The extra parts once loaded (components render them when present). */
export let extra: Extra | undefined;

/**
 * Loads the extra parts of `widget-extra.js`, `widget-chat.js` and `widget-look.js` (a no-op
 * once they are there) and re-renders with them.
 */
export function loadExtra(): Promise<Extra> {
  return Promise.all([load<Parts>("extra"), load<Chat>("chat"), load<Look>("look")]).then((x) => {
    if (!extra) {
      extra = Object.assign({}, ...x);
      update();
    }
    return extra;
  });
}

/** Runs `fn` with the extra parts, loading them first if needed; says so if that fails. */
export function withExtra(fn: (x: Extra) => unknown) {
  loadExtra().then(fn, () => notify(t("reload"), true));
}
