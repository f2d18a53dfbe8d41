/**
 * Dark mode (the browser's preference or the `theme` option) and the host's theming through CSS
 * custom properties on the `parley-widget` element, in real Chromium. `deno task screenshots`
 * writes docs/widget-dark.png and docs/widget-themed.png from here.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { js, launchBrowser, openAs, setProfile, startHostPage, until } from "../support/browser.ts";
import { login, send, startServer } from "../support/helpers.ts";

const docs = Deno.env.get("PARLEY_SCREENSHOTS")
  ? new URL("../../docs/", import.meta.url).pathname
  : "";

const isDark = (page: Page) =>
  js<boolean>(page, `document.querySelector("parley-widget").classList.contains("dark")`);
const bg = (page: Page, sel: string) =>
  page.locator(sel).first().evaluate((el) => getComputedStyle(el).backgroundColor);

Deno.test("widget: dark mode by preference or option, and the host's custom properties", async (t) => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    const alice = await login(server.url, "alice");
    for (const text of ["Hi Bob!", "Are you coming tonight?", "Bring the photos, please"]) {
      await send(server.url, alice, "bob", text);
    }
    await t.step(
      "a browser that prefers dark gets the dark theme; the option overrides",
      async () => {
        const D = await openAs(browser, host, "bob", { context: { colorScheme: "dark" } });
        try {
          await until(() => isDark(D.page), "dark");
          await js(D.page, `Parley.openDialog("alice")`);
          await D.page.locator(".msg.them").nth(2).waitFor();
          assert.equal(await bg(D.page, "section.panel"), "rgb(31, 32, 35)");
          // It follows the preference live.
          await D.page.emulateMedia({ colorScheme: "light" });
          await until(async () => !(await isDark(D.page)), "light again");
          assert.equal(await bg(D.page, "section.panel"), "rgb(255, 255, 255)");
          await D.page.emulateMedia({ colorScheme: "dark" });
          await until(() => isDark(D.page), "dark again");
          if (docs) await D.page.screenshot({ path: docs + "widget-dark.png" });
        } finally {
          await D.ctx.close();
        }
        const L = await openAs(browser, host, "bob", {
          theme: "light",
          context: { colorScheme: "dark" },
        });
        const N = await openAs(browser, host, "bob", { theme: "dark" });
        try {
          await until(() => isDark(N.page), "dark by option");
          assert.equal(await isDark(L.page), false, "theme: light wins over the preference");
        } finally {
          await L.ctx.close();
          await N.ctx.close();
        }
      },
    );

    await t.step("brand colour, corner radius, font and side from custom properties", async () => {
      const P = await openAs(browser, host, "bob");
      try {
        await P.page.addStyleTag({
          content: `parley-widget { --parley-brand: #a40; --parley-radius: 4px;
            --parley-font: Georgia, serif; --parley-left: 24px; --parley-right: auto; }`,
        });
        await until(async () => (await bg(P.page, ".launcher")) === "rgb(170, 68, 0)", "brand");
        const box = await P.page.locator(".launcher").boundingBox();
        assert.equal(box!.x, 24, "the launcher sits on the left");
        await js(P.page, `Parley.openDialog("alice")`);
        const panel = P.page.locator("section.panel");
        await P.page.locator(".msg.them").nth(2).waitFor();
        const style = await panel.evaluate((el) => {
          const s = getComputedStyle(el);
          return [s.borderTopLeftRadius, s.fontFamily, el.getBoundingClientRect().x];
        });
        assert.deepEqual(style, ["4px", "Georgia, serif", 24]);
        if (docs) await P.page.screenshot({ path: docs + "widget-themed.png" });
      } finally {
        await P.ctx.close();
      }
    });
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
