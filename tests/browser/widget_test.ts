/**
 * The widget in a real headless Chromium against a real Parley: two (and more) browser contexts
 * are two users on a host site that embeds `/widget.js` with one script tag. One browser launch
 * for the whole file; the steps run in order and build on each other like a user session.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  gotoHost,
  js,
  launchBrowser,
  openAs,
  setProfile,
  startHostPage,
  startNetworkProxy,
  until,
} from "../support/browser.ts";
import { revokeSessions } from "../../kv/people/sessions.ts";
import { login, send, startServer } from "../support/helpers.ts";

const BOB_NAME = "<b>Bob</b><img src=x onerror=alert(1)>";
/** Screenshots of the main screens for the README: `deno task screenshots` writes them to docs/. */
const docs = Deno.env.get("PARLEY_SCREENSHOTS")
  ? new URL("../../docs/", import.meta.url).pathname
  : "";
const shot = (target: { screenshot(o: object): Promise<unknown> }, name: string, o = {}) =>
  docs ? target.screenshot({ path: docs + name, ...o }) : Promise.resolve();

/** The widget's shadow root's focused element's class (the page sees only the host element). */
const focused = (page: Page) =>
  js<string>(page, `document.querySelector("parley-widget").shadowRoot.activeElement?.className`);

const texts = (page: Page, sel: string) => page.locator(sel).allTextContents();

Deno.test("widget in a real browser", async (t) => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const net = startNetworkProxy(server.url);
  const browser = await launchBrowser();
  if (docs) await Deno.mkdir(docs, { recursive: true });
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: BOB_NAME });
    const aliceToken = await login(server.url, "alice");
    const A = await openAs(browser, host, "alice");
    // Bob's network goes through a relay the test can cut.
    const B = await openAs(browser, host, "bob", { via: net.url });

    await t.step(
      "init: one script tag, StarCometChat alias, launcher, no layout shift",
      async () => {
        assert.equal(await js(B.page, "window.StarCometChat === window.Parley"), true);
        // CometServer: the stand-in for comet-server's library the original's pages call.
        assert.deepEqual(await js(B.page, "__added"), ["CometServer", "Parley", "StarCometChat"]);
        assert.equal(await js(B.page, "Parley.countNewMessagesSum()"), 0);
        await B.page.locator(".launcher").waitFor();
        const shift = await js<{ same: boolean }>(
          B.page,
          `(() => { const r = document.getElementById("content").getBoundingClientRect();
        const b = window.__before; return { same: r.top === b.top && r.left === b.left &&
        r.width === b.width && document.documentElement.scrollHeight === b.scrollHeight &&
        document.documentElement.scrollWidth === b.scrollWidth }; })()`,
        );
        assert.equal(shift.same, true, "the host page's layout moved");
        // The host page styles every element red with letter-spacing; none of it reaches in.
        const style = await B.page.locator(".launcher").evaluate((el) => {
          const s = getComputedStyle(el);
          return [s.backgroundColor, s.letterSpacing];
        });
        assert.deepEqual(style, ["rgb(34, 102, 187)", "normal"]);
      },
    );

    await t.step(
      "A sends text; B sees the badge, counts and on('unread') change live",
      async () => {
        await js(A.page, `Parley.openDialog("bob")`);
        await A.page.locator("textarea").fill("Hello Bob!");
        await A.page.locator("textarea").press("Enter");
        await A.page.locator(".msg.me .ticks").waitFor();
        assert.equal(await A.page.locator(".msg.me .ticks").getAttribute("aria-label"), "sent");
        await until(async () => (await texts(B.page, ".launcher .badge"))[0] === "1", "B's badge");
        assert.equal(await js(B.page, "Parley.countNewMessagesSum()"), 1);
        assert.equal(await js(B.page, `Parley.countNewMessages("alice")`), 1);
        assert.deepEqual(await js(B.page, "__unread.at(-1)"), { total: 1, by_user: { alice: 1 } });
        assert.match(
          (await B.page.locator(".launcher").getAttribute("aria-label"))!,
          /Open chat, 1 unread/,
        );
        // Screen readers hear it (the sender's name comes with the list, fetched on demand).
        await until(
          async () => /Alice Adams: Hello Bob!/.test((await texts(B.page, "[aria-live]"))[0]),
          "the aria-live announcement",
        );
        assert.equal(
          await js(B.page, "__beeps"),
          1,
          "a new message with the chat closed beeps once",
        );
        await shot(B.page, "widget-launcher.png", {
          clip: { x: 760, y: 520, width: 240, height: 200 },
        });
      },
    );

    await t.step("B opens with the keyboard, reads, replies; A sees two ticks live", async () => {
      const calls: string[] = [];
      B.page.on("request", (r) => r.url().includes("/api/") && calls.push(r.url()));
      await B.page.locator(".launcher").focus();
      await B.page.keyboard.press("Enter");
      const panel = B.page.locator("section.panel[role=dialog]");
      await panel.waitFor();
      assert.equal(await focused(B.page), "search", "focus moves into the panel");
      await B.page.locator(".row .badge").waitFor();
      assert.deepEqual(await texts(B.page, ".row .name"), ["Alice Adams"]);
      assert.ok(calls.length <= 1, `opening the list took ${calls.length} requests`);
      await shot(panel, "widget-list.png");
      // Search by name (the loaded dialogs, while the server has no contacts search).
      await B.page.keyboard.type("zz");
      await B.page.locator(".empty").waitFor();
      assert.equal(await B.page.locator(".empty").textContent(), "Nothing found");
      await B.page.keyboard.press("Backspace");
      await B.page.keyboard.press("Backspace");
      await B.page.keyboard.type("adams");
      await until(
        async () => (await texts(B.page, ".row .name")).join() === "Alice Adams",
        "found",
      );
      // Keyboard to the row (past the tabs, when the server has contacts) and open it.
      await B.page.locator(".row").focus();
      await B.page.keyboard.press("Enter");
      await B.page.locator(".msg.them").waitFor();
      assert.equal(
        await js(
          B.page,
          `document.querySelector("parley-widget").shadowRoot.activeElement.tagName`,
        ),
        "TEXTAREA",
      );
      await A.page.locator(".msg.me .ticks.read").waitFor();
      assert.equal(await A.page.locator(".msg.me .ticks").getAttribute("aria-label"), "read");
      await until(async () => (await js(B.page, "Parley.countNewMessagesSum()")) === 0, "read");
      assert.deepEqual(await js(B.page, "__unread.at(-1)"), { total: 0, by_user: {} });
      // Enter sends; Shift+Enter is a new line.
      await B.page.keyboard.type("line one");
      await B.page.keyboard.press("Shift+Enter");
      await B.page.keyboard.type("line two");
      await B.page.keyboard.press("Enter");
      await until(
        async () => (await texts(A.page, ".msg.them .text"))[0] === "line one\nline two",
        "reply",
      );
      assert.equal(await B.page.locator("textarea").inputValue(), "");
    });

    await t.step("markup in a message and in a host profile name renders as text", async () => {
      const evil = "<img src=x onerror=alert(1)>";
      await A.page.locator("textarea").fill(evil);
      await A.page.locator("textarea").press("Enter");
      await until(async () => (await texts(B.page, ".msg.them .text")).includes(evil), "evil text");
      for (const p of [A.page, B.page]) {
        assert.equal(await p.locator("img[src='x']").count(), 0);
        assert.equal(await p.locator(".text b, h2 b").count(), 0);
        assert.deepEqual(await js(p, "__alerts"), []);
      }
      // A's header names Bob by his host profile, markup and all, as plain text in a link.
      await until(async () => (await texts(A.page, "h2"))[0] === BOB_NAME, "Bob's name");
      assert.equal(
        await A.page.locator("h2 a").getAttribute("href"),
        "https://host.example/users/bob",
      );
      const color = await B.page.locator(".msg.them .text").first().evaluate((el) =>
        getComputedStyle(el).color
      );
      assert.notEqual(color, "rgb(255, 0, 0)", "the host page's CSS leaked into the widget");
    });

    await t.step(
      "Esc closes the panel, focus returns to the launcher, onCloseChat fires",
      async () => {
        await B.page.locator("textarea").focus();
        await B.page.keyboard.press("Escape");
        await B.page.locator("section.panel").waitFor({ state: "detached" });
        assert.equal(await focused(B.page), "launcher online");
        assert.equal(await js(B.page, "__closed"), 1);
      },
    );

    await t.step(
      "mute really silences, is remembered after reload; toggleSound undoes it",
      async () => {
        const badge = (n: string) =>
          until(async () => (await texts(B.page, ".launcher .badge"))[0] === n, `badge ${n}`);
        assert.equal(await js(B.page, "__beeps"), 1, "no beeps while the dialog was open");
        await B.page.locator(".launcher").click();
        await B.page.locator(".mute").click();
        assert.equal(await B.page.locator(".mute").getAttribute("aria-pressed"), "true");
        await B.page.keyboard.press("Escape");
        await send(server.url, aliceToken, "bob", "muted 1");
        await badge("1");
        await B.page.waitForTimeout(100);
        assert.equal(await js(B.page, "__beeps"), 1, "muted, yet a sound played");
        await gotoHost(B.page, host, "bob", { via: net.url });
        assert.equal(await js(B.page, `localStorage.getItem("parley:muted")`), "1");
        await send(server.url, aliceToken, "bob", "muted 2");
        await badge("2");
        await B.page.waitForTimeout(100);
        assert.equal(await js(B.page, "__beeps"), 0, "mute was forgotten on reload");
        assert.equal(await js(B.page, "Parley.toggleSound()"), true);
        await send(server.url, aliceToken, "bob", "loud");
        await badge("3");
        await until(async () => (await js(B.page, "__beeps")) === 1, "a beep after unmuting");
      },
    );

    await t.step("a network drop loses nothing and shows nothing twice", async () => {
      await js(B.page, `Parley.openDialog("alice")`);
      await until(async () => (await texts(B.page, ".msg .text")).includes("loud"), "history");
      const before = await B.page.locator(".msg").count();
      net.down();
      await B.page.locator(".banner.reconnecting").waitFor();
      for (const n of [1, 2, 3]) await send(server.url, aliceToken, "bob", `offline ${n}`);
      await B.page.waitForTimeout(300);
      assert.equal(await B.page.locator(".msg").count(), before, "the drop was not real");
      net.up();
      await until(
        async () => (await texts(B.page, ".msg .text")).includes("offline 3"),
        "replayed messages",
        15_000,
      );
      await B.page.locator(".banner.reconnecting").waitFor({ state: "detached" });
      const all = await texts(B.page, ".msg .text");
      assert.equal(all.length, before + 3);
      assert.deepEqual(all.slice(-3), ["offline 1", "offline 2", "offline 3"]);
      const ids = await B.page.locator(".msg").evaluateAll((els) =>
        els.map((e) => (e as HTMLElement).dataset.id)
      );
      assert.equal(new Set(ids).size, ids.length, "a message shows twice");
    });

    await t.step("an expired session is renewed on reconnect and the stream resumes", async () => {
      // The token dies while the network is down (as after a long sleep): the reconnect gets a
      // 401, the widget signs in again and resumes from the last event it saw.
      await revokeSessions(server.parley.deps.kv, "bob");
      net.down();
      await B.page.locator(".banner.reconnecting").waitFor();
      for (const n of [1, 2]) await send(server.url, aliceToken, "bob", `asleep ${n}`);
      net.up();
      await until(
        async () => (await texts(B.page, ".msg .text")).includes("asleep 2"),
        "messages after signing in again",
        15_000,
      );
      const all = await texts(B.page, ".msg .text");
      assert.deepEqual(all.filter((x) => x.startsWith("asleep")), ["asleep 1", "asleep 2"]);
      // And the new session works for sending too.
      await B.page.locator("textarea").fill("back");
      await B.page.locator("textarea").press("Enter");
      await until(async () => (await texts(A.page, ".msg .text")).includes("back"), "reply");
    });
  } finally {
    await browser.close();
    await net.close();
    await host.close();
    await server.close();
  }
});
