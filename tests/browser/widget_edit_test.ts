/** Editing and deleting one's own message in the widget, seen live by the peer (real Chromium). */
import assert from "node:assert/strict";
import { js, launchBrowser, openAs, setProfile, startHostPage, until } from "../support/browser.ts";
import { startServer } from "../support/helpers.ts";

Deno.test("widget: edit and delete an own message from its menu; the peer sees both live", async () => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    const A = await openAs(browser, host, "alice");
    const B = await openAs(browser, host, "bob");
    await js(A.page, `Parley.openDialog("bob")`);
    await js(B.page, `Parley.openDialog("alice")`);
    await A.page.locator("textarea").fill("see you at fiev");
    await A.page.keyboard.press("Enter");
    await B.page.locator(".msg.them .text").waitFor();

    // Edit: the menu's "Edit" puts the text in an inline box; Enter saves.
    await A.page.locator(".msg.me .mact").click();
    await A.page.locator(".msg.me .menu .edit").click();
    const box = A.page.locator(".msg.me .edit textarea");
    assert.equal(await box.inputValue(), "see you at fiev");
    await box.fill("see you at five");
    await box.press("Enter");
    for (const [page, sel] of [[A.page, ".msg.me"], [B.page, ".msg.them"]] as const) {
      await until(
        async () => (await page.locator(`${sel} .text`).textContent()) === "see you at five",
        "the new text",
      );
      assert.match((await page.locator(`${sel} .meta`).textContent())!, /^edited /);
    }
    // The peer's menu on it has no edit or delete.
    await B.page.locator(".msg.them").click({ button: "right" });
    assert.equal(await B.page.locator(".menu .edit, .menu .delete").count(), 0);
    await B.page.keyboard.press("Escape");

    // Esc in the box cancels without saving.
    await A.page.locator(".msg.me .mact").click();
    await A.page.locator(".menu .edit").click();
    await A.page.locator(".edit textarea").fill("never saved");
    await A.page.locator(".edit textarea").press("Escape");
    await A.page.locator(".edit").waitFor({ state: "detached" });
    assert.equal(await A.page.locator(".msg.me .text").textContent(), "see you at five");
    assert.equal(await A.page.locator("section.panel").count(), 1, "Esc closed the box only");

    // Delete: asked first, then gone on both sides.
    A.page.once("dialog", (d) => d.accept());
    await A.page.locator(".msg.me .mact").click();
    await A.page.locator(".menu .delete").click();
    await A.page.locator(".msg.me").waitFor({ state: "detached" });
    await B.page.locator(".msg.them").waitFor({ state: "detached" });
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
