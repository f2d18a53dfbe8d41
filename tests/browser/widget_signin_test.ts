/**
 * What a user the host site does not let into the chat sees: the original said "You do not have
 * the right to use chat"; the widget says so (in the page's language), not "reload the page".
 */
import assert from "node:assert/strict";
import { launchBrowser, startHostPage, until } from "../support/browser.ts";
import { startHostSite, startServer, userKey } from "../support/helpers.ts";

Deno.test("widget: a user the site's users-info leaves out is told they have no right to use chat", async () => {
  // Callback mode: the host's hash callback answers the very keys the host page puts in
  // Parley.init, but its users-info knows only alice.
  const hashes: Record<string, string> = {};
  for (const id of ["alice", "ghost"]) hashes[id] = await userKey(id);
  const site = startHostSite({ alice: { user_id: "alice", name: "Alice" } }, hashes);
  const server = await startServer({
    PARLEY_AUTH_SECRET: "",
    PARLEY_USERS_INFO_URL: site.infoUrl,
    PARLEY_USERS_HASH_URL: site.hashUrl,
  });
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    for (
      const [lang, text] of [
        ["en", "You do not have the right to use chat."],
        ["ru", "У вас нет права пользоваться чатом."],
      ]
    ) {
      const page = await browser.newPage();
      const q = new URLSearchParams({ uid: "ghost", opts: JSON.stringify({ lang, open: true }) });
      await page.goto(`${host.url}/?${q}`);
      // The chat could not start; the launcher says so when the user opens it.
      await page.locator(".launcher.failed").click();
      const banner = page.locator(".banner.err");
      await until(async () => (await banner.textContent().catch(() => "")) === text, text);
      assert.equal(await banner.getAttribute("role"), "alert");
      await page.close();
    }
    // alice, whom users-info returns, gets in, and their launcher is not the failed one.
    const page = await browser.newPage();
    const q = new URLSearchParams({ uid: "alice", opts: JSON.stringify({}) });
    await page.goto(`${host.url}/?${q}`);
    await page.waitForFunction(() => (globalThis as unknown as { __ready: boolean }).__ready);
    assert.equal(await page.locator(".launcher.failed").count(), 0);
    await page.locator(".launcher").waitFor();
    await page.close();
  } finally {
    await browser.close();
    await host.close();
    await server.close();
    await site.close();
  }
});
