/**
 * New-message alerts in real Chromium against a real server: system notifications (opt-in by the
 * bell, asked for only then, one tab of several, off on the host's `notifications: false`), and
 * the first beep after page load under the browsers' default autoplay policy (the AudioContext is
 * made on the first user gesture).
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import {
  gotoHost,
  js,
  launchBrowser,
  openAs,
  setProfile,
  startHostPage,
  until,
} from "../support/browser.ts";
import { login, send, startServer } from "../support/helpers.ts";

/**
 * Records every notification the page shows and every permission request (installed before any
 * page script; the real API still runs underneath).
 */
const NOTIFICATION_SPY = `window.__notes = []; window.__asked = 0;
const Real = window.Notification;
if (Real) {
  const Spy = function (title, o) { window.__notes.push({ title, body: o && o.body }); return new Real(title, o); };
  Spy.requestPermission = (...a) => (window.__asked++, Real.requestPermission(...a));
  Object.defineProperty(Spy, "permission", { get: () => Real.permission });
  window.Notification = Spy;
}`;

/** Records every AudioContext the page makes (the widget makes one, on the first gesture). */
const AUDIO_SPY = `window.__audio = [];
const RealAudio = window.AudioContext;
window.AudioContext = class extends RealAudio {
  constructor(...a) { super(...a); window.__audio.push(this); }
};`;

/** Makes the page believe its tab is in the background (or back in front). */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    Object.defineProperty(document, "hidden", { get: () => h, configurable: true });
    Object.defineProperty(document, "visibilityState", {
      get: () => h ? "hidden" : "visible",
      configurable: true,
    });
  }, hidden);

const notes = (page: Page) => js<{ title: string; body: string }[]>(page, "__notes");

Deno.test("widget notifications and the first beep in a real browser", async (t) => {
  const server = await startServer({ PARLEY_RATE_MESSAGES: "off" });
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  const bob = await login(server.url, "bob");
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    const opened = async (
      opts: Parameters<typeof openAs>[3] & { granted?: boolean },
    ) => {
      const A = await openAs(browser, host, "alice", {
        ...opts,
        context: { permissions: opts.granted ? ["notifications"] : [] },
      });
      contexts.push(A.ctx);
      return A;
    };

    await t.step(
      "opt-in: asked only from the bell, then one hidden tab of two notifies",
      async () => {
        const A = await opened({ granted: true });
        await A.ctx.addInitScript(NOTIFICATION_SPY);
        await gotoHost(A.page, host, "alice", {});
        const second = await A.ctx.newPage();
        await gotoHost(second, host, "alice", {});
        await js(A.page, "Parley.openDialog()");
        const bell = A.page.locator(".top .bell");
        await bell.waitFor();
        assert.equal(await bell.getAttribute("aria-pressed"), "false", "on before opting in");
        assert.equal(await bell.getAttribute("aria-label"), "Notifications");
        // Hidden, not opted in: nothing.
        for (const p of [A.page, second]) await setHidden(p, true);
        await send(server.url, bob, "alice", "before opting in");
        await until(
          async () => (await js<number>(A.page, "Parley.countNewMessagesSum()")) === 1,
          "1",
        );
        assert.equal((await notes(A.page)).length + (await notes(second)).length, 0);
        assert.equal(await js(A.page, "__asked"), 0, "permission asked without the user");

        await setHidden(A.page, false);
        await bell.click();
        await until(
          async () => (await bell.getAttribute("aria-pressed")) === "true",
          "the bell on",
        );
        await js(A.page, "Parley.closeChat()");
        for (const p of [A.page, second]) await setHidden(p, true);
        await send(server.url, bob, "alice", "Are you there?");
        const all = async () => [...await notes(A.page), ...await notes(second)];
        await until(async () => (await all()).length >= 1, "a notification");
        await new Promise((r) => setTimeout(r, 500));
        assert.deepEqual(await all(), [{ title: "Bob Brown", body: "Are you there?" }]);

        // A visible tab does not notify (it beeps).
        for (const p of [A.page, second]) await setHidden(p, false);
        await send(server.url, bob, "alice", "seen here");
        await until(
          async () => (await js<number>(A.page, "Parley.countNewMessagesSum()")) === 3,
          "3",
        );
        assert.equal((await all()).length, 1);
      },
    );

    await t.step("without the browser's permission the bell asks, then says why not", async () => {
      const A = await opened({});
      await A.ctx.addInitScript(NOTIFICATION_SPY);
      await gotoHost(A.page, host, "alice", {});
      await js(A.page, "Parley.openDialog()");
      // Headless Chromium answers "denied" without asking a person; a browser with the
      // question still open ("default") gets it asked, once.
      const asks = (await js(A.page, "Notification.permission")) === "default" ? 1 : 0;
      await A.page.locator(".top .bell").click();
      const notice = A.page.locator(".banner.err");
      await notice.waitFor();
      assert.match((await notice.textContent())!, /blocked in the browser/);
      assert.equal(await A.page.locator(".top .bell").getAttribute("aria-pressed"), "false");
      assert.equal(await js(A.page, "__asked"), asks);
    });

    await t.step("notifications: false — no bell and no notification", async () => {
      const A = await opened({ granted: true, notifications: false });
      await A.ctx.addInitScript(NOTIFICATION_SPY);
      // Opted in on an earlier visit; the host has switched them off since.
      await A.page.evaluate(() => localStorage.setItem("parley:notify", "1"));
      await gotoHost(A.page, host, "alice", { notifications: false });
      await js(A.page, "Parley.openDialog()");
      await A.page.locator(".top .mute").waitFor();
      await A.page.locator(".rows .row").first().waitFor();
      assert.equal(await A.page.locator(".bell").count(), 0);
      await js(A.page, "Parley.closeChat()");
      await setHidden(A.page, true);
      const before = await js<number>(A.page, "Parley.countNewMessagesSum()");
      await send(server.url, bob, "alice", "host said no");
      await until(
        async () => (await js<number>(A.page, "Parley.countNewMessagesSum()")) === before + 1,
        "the message",
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await notes(A.page)).length, 0);
    });
  } finally {
    for (const c of contexts) await c.close();
    await browser.close();
  }

  await t.step("the first beep after load plays: the first gesture starts the audio", async () => {
    // The browsers' default policy: audio may start only after a user gesture on the page.
    const strict = await launchBrowser({ gestureAudio: true });
    try {
      const A = await openAs(strict, host, "alice", {});
      await A.ctx.addInitScript(AUDIO_SPY);
      await gotoHost(A.page, host, "alice", {});
      const audio = () => js<string[]>(A.page, "__audio.map((a) => a.state)");
      assert.deepEqual(await audio(), [], "audio made before any gesture (it would stay mute)");
      // A click on the host page (not on the chat): the widget's AudioContext starts with it.
      await A.page.mouse.click(300, 40);
      await until(async () => (await audio()).join() === "running", "audio started by the click");
      // The widget's stream may still be connecting after the reload (nothing on the page says
      // when it is live): a message that lands before it shows without a sound, so send again
      // until one arrives live. The first live one must be heard.
      const beeps = () => js<number>(A.page, "__beeps");
      for (let i = 0; i < 4 && (await beeps()) === 0; i++) {
        await send(server.url, bob, "alice", `first beep ${i}`);
        await until(async () => (await beeps()) > 0, "the first beep", 5_000).catch(() => {});
      }
      assert.ok((await beeps()) >= 1, "no beep for four live messages");
      assert.deepEqual(await audio(), ["running"]);
    } finally {
      await strict.close();
      await host.close();
      await server.close();
    }
  });
});
