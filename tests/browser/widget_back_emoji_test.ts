/**
 * In real Chromium against a real server: the browser's back button closes the full-screen
 * sheet (a phone) before leaving the page, with no history entries on a wide screen; and the
 * emoji picker, by mouse and by keyboard, inserting at the caret.
 */
import assert from "node:assert/strict";
import { js, launchBrowser, openAs, setProfile, startHostPage, until } from "../support/browser.ts";
import { login, send, startServer } from "../support/helpers.ts";

Deno.test("widget back button and emoji picker in a real browser", async (t) => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    await send(server.url, await login(server.url, "bob"), "alice", "Hello Alice");

    await t.step("back closes the sheet on a phone, and the page stays", async () => {
      const A = await openAs(browser, host, "alice", {
        viewport: { width: 360, height: 740 },
        context: { hasTouch: true, isMobile: true },
      });
      try {
        const url = A.page.url();
        const length = await js<number>(A.page, "history.length");
        await A.page.locator(".launcher").tap();
        await A.page.locator("section.panel").waitFor();
        await until(
          async () => (await js<number>(A.page, "history.length")) === length + 1,
          "entry",
        );
        await A.page.locator(".row").first().tap();
        await A.page.locator(".msg.them").waitFor();
        await js(A.page, "history.back()");
        await A.page.locator("section.panel").waitFor({ state: "detached" });
        assert.equal(A.page.url(), url, "back left the page");
        assert.equal(await js(A.page, "__closed"), 1, "onCloseChat was not called");
        // Closed by its own button: the entry it added is gone again (back would not be a no-op).
        await A.page.locator(".launcher").tap();
        await A.page.locator("section.panel").waitFor();
        await until(async () => (await js(A.page, "history.state?.parley")) === "sheet", "pushed");
        await A.page.locator(".top .close").tap();
        await A.page.locator("section.panel").waitFor({ state: "detached" });
        await until(async () => (await js(A.page, "history.state?.parley")) == null, "popped");
        assert.equal(A.page.url(), url);
      } finally {
        await A.ctx.close();
      }
    });

    await t.step("no history entry for the floating panel of a wide screen", async () => {
      const A = await openAs(browser, host, "alice", { viewport: { width: 1280, height: 800 } });
      try {
        const length = await js<number>(A.page, "history.length");
        await A.page.locator(".launcher").click();
        await A.page.locator("section.panel .row").first().waitFor();
        await A.page.locator(".top .close").click();
        await A.page.locator("section.panel").waitFor({ state: "detached" });
        assert.equal(await js(A.page, "history.length"), length);
        assert.equal(await js(A.page, "history.state"), null);
      } finally {
        await A.ctx.close();
      }
    });

    await t.step("the emoji picker inserts at the caret, by mouse and by keyboard", async () => {
      const A = await openAs(browser, host, "alice", { viewport: { width: 1280, height: 800 } });
      try {
        await js(A.page, `Parley.openDialog("bob")`);
        const box = A.page.locator("textarea[name=text]");
        const button = A.page.locator(".composer .emo");
        await button.waitFor();
        assert.equal(await button.getAttribute("aria-label"), "Emoji");
        await box.fill("ab");
        await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(1, 1));
        await button.click();
        const grid = A.page.locator(".emojis[role=group]");
        /** Whether the focus is in the message box (inside the widget's shadow root). */
        const inBox = async () =>
          (await js(
            A.page,
            `document.querySelector("parley-widget").shadowRoot.activeElement?.name`,
          )) === "text";
        await grid.waitFor();
        // A popover above the composer, inside the panel; the box keeps its width.
        const [g, c, p] = await Promise.all(
          [grid, A.page.locator(".composer"), A.page.locator("section.panel")].map((l) =>
            l.boundingBox()
          ),
        );
        assert.ok(g!.y + g!.height <= c!.y + 1, `the grid is not above the composer: ${g!.y}`);
        assert.ok(g!.x >= p!.x && g!.x + g!.width <= p!.x + p!.width, "the grid leaves the panel");
        assert.ok((await box.boundingBox())!.width > 150, "the box was squeezed");
        await grid.locator("button", { hasText: "👍" }).click();
        await until(async () => (await box.inputValue()) === "a👍b", "👍 between a and b");
        // Keyboard: Esc closes and returns to the box; Enter on the button opens the grid with
        // the first emoji focused; arrows move; Enter inserts after what was inserted before.
        await A.page.keyboard.press("Escape");
        await grid.waitFor({ state: "detached" });
        await until(inBox, "the focus back in the box");
        assert.equal(await A.page.locator("section.panel").count(), 1, "Esc closed the panel");
        await button.focus();
        await A.page.keyboard.press("Enter");
        await grid.waitFor();
        const focused = () =>
          js<string>(
            A.page,
            `document.querySelector("parley-widget").shadowRoot.activeElement?.textContent`,
          );
        await until(async () => (await focused()) === "😀", "the first emoji focused");
        for (const key of ["ArrowDown", "ArrowDown", "ArrowRight"]) {
          await A.page.keyboard.press(key);
        }
        await until(async () => (await focused()) === "👎", "👎 focused");
        await A.page.keyboard.press("Enter");
        await until(async () => (await box.inputValue()) === "a👍👎b", "👎 after 👍");
        // The text is the draft as typed (kept per dialog), and it sends as such.
        await A.page.keyboard.press("Escape");
        await grid.waitFor({ state: "detached" });
        await until(inBox, "back in the box");
        await A.page.keyboard.press("Enter");
        await A.page.locator(".msg.me .text", { hasText: "a👍👎b" }).waitFor();
      } finally {
        await A.ctx.close();
      }
    });
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
