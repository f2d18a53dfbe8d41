/** `Parley.init`: sign in, learn the server's features, go live, count unread, then `success`. */
import { call, login } from "./api.ts";
import { type CoreKey, pickLang, useStrings } from "./i18n.ts";
import { load, loadExtra } from "./lazy.ts";
import { onEvent, refreshUnread } from "./live.ts";
import { mount } from "./mount.ts";
import { loadMuted, unlockAudioOnGesture } from "./sound.ts";
import { connect } from "./sse.ts";
import { S, update } from "./store.ts";
import { markRead } from "./threads.ts";
import type { Features, InitOptions } from "./types.ts";

/**
 * What the server offers. `/api/v1/features` answers on servers with the newer features; the
 * ones it does not list (contacts, marks, report, typing, upload) are assumed there and switched
 * off when their endpoint answers 404. Without `/features` they all stay off.
 */
async function loadFeatures() {
  try {
    const f = await call<Partial<Features>>("GET", "/api/v1/features", undefined, false);
    const on = { upload: true, contacts: true, marks: true, report: true, typing: true };
    S.feat = { ...S.feat, ...on, ...f };
  } catch {
    // an older server: only the core features
  }
}

/** The UI strings, fetched while signing in; without the Russian ones the UI is English. */
async function loadStrings(): Promise<void> {
  try {
    useStrings(await load<Record<CoreKey, string>>(S.lang));
  } catch {
    if (S.lang === "ru") return S.lang = "en", loadStrings();
  }
}

/**
 * Starts the widget. Resolves once the unread counts are known (so `countNewMessagesSum()` is
 * valid); rejects if the user cannot sign in.
 */
export async function boot(o: InitOptions, scriptBase: string) {
  // A copy: the page's own objects are never written to. `home_dir` marks an original page (the
  // original required it, Parley does not): no launcher unless asked for, and its compatibility
  // part (islands/widget_compat) loads along with signing in.
  S.opts = { launcher: !o.home_dir, ...o };
  S.lang = pickLang(o.lang);
  S.base = (scriptBase || o.home_dir || location.origin).replace(/\/+$/, "");
  S.muted = loadMuted();
  mount();
  unlockAudioOnGesture();
  const features = Promise.all([
    loadFeatures(),
    loadStrings(),
    // It installs itself; without it the chat still works (the original's other calls missing).
    o.home_dir && load("compat").catch(() => {}),
  ]);
  try {
    await login();
  } catch (e) {
    S.conn = "failed";
    S.failCode = (e as { code?: string }).code;
    await features; // so the reason is shown in the page's language
    update();
    throw e;
  }
  await features;
  update();
  // Unread is read after the stream is live, so no message falls between the two.
  await new Promise<void>((ready) =>
    connect((type, data) => {
      onEvent(type, data);
      if (type === "ready") ready();
    }, (state) => {
      S.conn = state;
      update();
    })
  );
  await refreshUnread();
  // Coming back to the tab with a dialog open reads what arrived meanwhile.
  document.addEventListener("visibilitychange", markRead);
  S.ready = true;
  update();
  // Fetch the rarely used parts while nothing else happens (they are not needed to start).
  (self.requestIdleCallback ?? setTimeout)(() => loadExtra().catch(() => {}));
}
