/**
 * A browser on the original's `userPage.php` (served as tests/support/star_comet_site.ts does):
 * signing in through its auth.php, opening a user's page, and the few calls the page tests share.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { js, until } from "./browser.ts";
import { api, type TestServer } from "./helpers.ts";
import { type CdnOptions, initSpy, routeCdn, type startPhpSite } from "./star_comet_site.ts";

/** Counts real sounds (the widget's beep is a WebAudio oscillator). */
export const SOUND_SPY = `window.__beeps = 0;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...a) { window.__beeps++; return start.apply(this, a); };`;

export interface Visit extends CdnOptions {
  /** Options a variant adds to the page's own (JS source of an object). */
  extra?: string;
  /** Runs on the PHP origin before the page loads (e.g. the original's stored sound switch). */
  before?: string;
}

export type Php = Awaited<ReturnType<typeof startPhpSite>>;

/** `until` with room for a busy CI machine (a deadline, not a speed check). */
export const wait = <T>(fn: () => Promise<T>, what: string) => until(fn, what, 20_000);

/** Signs in on the PHP site as `uid` (auth.php) and opens user `pageOf`'s page. */
export async function visit(
  browser: Browser,
  site: string,
  uid: number,
  pageOf: number,
  v: Visit = {},
) {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 720 } });
  await ctx.addInitScript(SOUND_SPY + initSpy(v.extra));
  const cdn = await routeCdn(ctx, v);
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  const warnings: string[] = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  /** Every URL the page asked for, in order (the CDN's are also in `cdn`, as paths). */
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  // auth.php sets the session, then fails on the original's call to its old chat (no curl here).
  await page.goto(`${site}/auth.php?id=${uid}`);
  if (v.before) await page.evaluate(v.before);
  await page.goto(`${site}/userPage.php?name=lodin${pageOf}`, { waitUntil: "domcontentloaded" });
  await page.waitForFunction(() =>
    (globalThis as unknown as { StarCometChat?: { initSuccess: boolean } }).StarCometChat
      ?.initSuccess === true
  );
  return { ctx, page, cdn, warnings, requests };
}

export const unread = (page: Page, id?: number) =>
  js<number>(
    page,
    id ? `StarCometChat.countNewMessages(${id})` : "StarCometChat.countNewMessagesSum()",
  );
export const title = (page: Page) => page.locator("#pw-title").textContent();
/** "true" when the widget is muted: the list's button says so, a dialog's ⋮ menu has "Sound". */
export async function muted(page: Page): Promise<string | null> {
  if (await page.locator(".top .mute").count()) {
    return page.locator(".top .mute").getAttribute("aria-pressed");
  }
  await page.locator(".top .more").click();
  const sound = await page.locator(".menu .sound").getAttribute("aria-checked");
  await page.keyboard.press("Escape");
  await page.locator(".menu .sound").waitFor({ state: "detached" });
  return sound === null ? null : String(sound !== "true");
}

/** Signs a fixture user in through Parley's API with the key their site renders. */
export async function tokenOf(server: TestServer, php: Php, id: number) {
  const r = await api<{ token: string }>(server.url, "POST", "/api/v1/session", {
    json: { user_id: String(id), user_key: await php.userKey(id) },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token;
}

export async function say(server: TestServer, token: string, to: number, text: string) {
  const r = await api(server.url, "POST", `/api/v1/dialogs/${to}/messages`, {
    token,
    json: { text },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}
