/**
 * The `launcher` option on a Parley page (no `home_dir`): the round button by default, none with
 * `launcher: false`, while the host page's own calls still open the chat and get the focus back. (Original pages, with
 * `home_dir`, have none by default: tests/browser/star_comet_page_test.ts.)
 */
import assert from "node:assert/strict";
import { js, launchBrowser, openAs, setProfile, startHostPage } from "../support/browser.ts";
import { startServer } from "../support/helpers.ts";

Deno.test("launcher: shown by default on a Parley page, hidden with launcher: false", async () => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice" });
    await setProfile(server, "bob", { name: "Bob" });
    const A = await openAs(browser, host, "alice");
    await A.page.locator(".launcher").waitFor();
    const B = await openAs(browser, host, "bob", { launcher: false });
    assert.equal(await B.page.locator(".launcher").count(), 0);
    // The page's own button opens the chat; closing gives the focus back to it (no launcher).
    await js(
      B.page,
      `const b = document.createElement("button"); b.id = "mine"; b.textContent = "Chat";
      b.onclick = () => Parley.openDialog("alice"); document.body.prepend(b);`,
    );
    await B.page.locator("#mine").click();
    await B.page.locator(".panel").waitFor();
    await B.page.keyboard.press("Escape");
    await B.page.locator(".panel").waitFor({ state: "detached" });
    assert.equal(await B.page.locator(".launcher").count(), 0, "still none after closing");
    assert.equal(await js(B.page, "document.activeElement.id"), "mine");
    await A.ctx.close();
    await B.ctx.close();
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
