/**
 * The widget's lazily loaded parts in a real browser: init and the dialog list never wait for
 * `/widget-extra.js`; once it arrives, its features work (report here; upload, translate, marks
 * and tabs in widget_features_browser_test.ts); a Russian UI gets `/widget-ru.js` before
 * `success`; a lazy script from another build is refused with a clear notice.
 */
import assert from "node:assert/strict";
import type { Browser, Route } from "playwright-core";
import {
  gotoHost,
  js,
  launchBrowser,
  setProfile,
  startHostPage,
  until,
} from "../support/browser.ts";
import { login, send, startServer } from "../support/helpers.ts";

const EXTRA = "**/widget-extra.js*";

/** A page for `uid` whose requests for widget-extra.js go to `onExtra` (set up before loading). */
async function pageWith(browser: Browser, onExtra: (route: Route) => unknown) {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 720 } });
  await ctx.route(EXTRA, onExtra);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  return { ctx, page };
}

Deno.test("widget lazy parts in a real browser", async (t) => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    const aliceToken = await login(server.url, "alice");
    await send(server.url, aliceToken, "bob", "Hi Bob");

    await t.step("init and the dialog list do not wait for widget-extra.js", async () => {
      let release!: () => void;
      const held = new Promise<void>((r) => release = r);
      const B = await pageWith(browser, async (route) => {
        await held;
        await route.continue();
      });
      try {
        await gotoHost(B.page, host, "bob", {});
        const api: string[] = [];
        B.page.on("request", (r) => r.url().includes("/api/") && api.push(r.url()));
        await js(B.page, "Parley.openDialog()");
        await B.page.locator(".row .badge").waitFor();
        assert.ok(api.length <= 1, `opening the list took ${api.length} requests`);
        await B.page.locator(".row").click();
        await B.page.locator(".msg.them").waitFor();
        // The dialog works without the extra parts; their actions are not there yet.
        assert.equal(await B.page.locator(".acts, .more").count(), 0);

        release();
        await B.page.locator(".msg.them .mact").click();
        await B.page.locator(".msg.them .menu .report").click();
        await B.page.locator(".rform input[value=spam]").check();
        await B.page.locator(".rform .primary").click();
        await until(
          async () => (await B.page.locator(".banner").textContent()) === "Report sent. Thank you.",
          "the report",
        );
        // The lazy script added no globals (beyond the host page's own bookkeeping) and left no
        // <script> element behind.
        assert.deepEqual(
          await js(
            B.page,
            `Object.keys(window).filter((k) => !__globals.includes(k)
              && !["__globals", "__added", "__before"].includes(k)).sort()`,
          ),
          ["CometServer", "Parley", "StarCometChat"],
        );
        assert.equal(
          await js(B.page, `document.querySelectorAll("script[src*=widget-]").length`),
          0,
        );
      } finally {
        await B.ctx.close();
      }
    });

    await t.step(
      "a Russian UI loads widget-ru.js before success; the extras speak it",
      async () => {
        const C = await pageWith(browser, (route) => route.continue());
        try {
          await gotoHost(C.page, host, "carol", { lang: "ru", early: "alice" });
          assert.ok(
            await js(
              C.page,
              `performance.getEntriesByType("resource").some((e) => e.name.includes("/widget-ru.js"))`,
            ),
            "widget-ru.js was loaded by success",
          );
          await C.page.locator("section.panel textarea").waitFor();
          assert.equal(await C.page.locator("textarea").getAttribute("placeholder"), "Сообщение…");
          await C.page.locator(".more").click();
          assert.equal(await C.page.locator(".menu .report").textContent(), "Пожаловаться");
        } finally {
          await C.ctx.close();
        }
      },
    );

    await t.step("a widget-extra.js from another build is refused, with a notice", async () => {
      const D = await pageWith(browser, async (route) => {
        const code = await (await route.fetch()).text();
        const body = code.replace(/"[0-9a-f]{24}"/, `"000000000000000000000000"`);
        await route.fulfill({ status: 200, contentType: "text/javascript", body });
      });
      try {
        await gotoHost(D.page, host, "bob", {});
        await js(D.page, `Parley.openDialog("alice")`);
        await D.page.locator(".msg.them").waitFor();
        // Anything that needs the extra parts says the chat must be reloaded.
        await D.page.evaluate(() => {
          const root = document.querySelector("parley-widget")!.shadowRoot!;
          const dt = new DataTransfer();
          dt.items.add(new File(["x"], "a.png", { type: "image/png" }));
          root.querySelector(".view")!.dispatchEvent(
            new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }),
          );
        });
        await until(
          async () =>
            (await D.page.locator(".banner").textContent()) ===
              "Chat is unavailable. Reload the page.",
          "the notice",
        );
        assert.equal(await D.page.locator(".acts, .more").count(), 0);
      } finally {
        await D.ctx.close();
      }
    });
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
