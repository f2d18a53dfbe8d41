/**
 * A ban for a time ends on time where people look at it: the banned user's open widget gets its
 * composer back at `ban_until` (it reads its state again from the server then; nothing is pushed,
 * the hourly clean-up does not run here), the admin's user card shows the ban as ended and the
 * Moderation tab's list drops it. Both
 * for a widget that signed in while banned and for a ban pushed to an open widget.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { api, login, send, startServer, userKey } from "../support/helpers.ts";
import { js, launchBrowser, openAs, setProfile, startHostPage } from "../support/browser.ts";

async function adminPage(browser: Browser, base: string, uid: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/admin?lang=en`);
  await page.fill('input[name="user_id"]', uid);
  await page.fill('input[name="user_key"]', await userKey(uid));
  await page.click('button[type="submit"]');
  await page.locator(".pa-nav").waitFor({ timeout: 15_000 });
  return page;
}

Deno.test("a ban of a few seconds ends on time in the widget and on the admin's user card", async () => {
  const server = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "bob", { name: "Bob Brown" });
    await setProfile(server, "carol", { name: "Carol King" });
    await send(server.url, await login(server.url, "carol"), "bob", "Hi Bob");
    const admin = await login(server.url, "admin");
    const ban = async (seconds: number) => {
      const until = new Date(Date.now() + seconds * 1000).toISOString();
      const r = await api(server.url, "PUT", "/api/v1/admin/bans/bob", {
        token: admin,
        json: { reason: "cool down", until },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return Date.parse(until);
    };

    // Banned before the widget opens: it signs in read-only, with ban_until.
    const first = await ban(12);
    const B = await openAs(browser, host, "bob", { lang: "en" });
    await js(B.page, 'Parley.openDialog("carol")');
    await B.page.locator(".note.warn", { hasText: "turned off sending" }).waitFor();
    const A = await adminPage(browser, server.url, "admin");
    await A.evaluate(() => location.hash = "#/user/bob");
    await A.locator(".pa-ban .pa-badge.pa-warn").waitFor();
    // At the ban's end both come back by themselves (generous timeout for a loaded machine).
    await B.page.locator("textarea").waitFor({ timeout: 20_000 });
    assert.ok(Date.now() >= first, "the composer came back before the ban ended");
    await A.locator(".pa-ban button.pa-danger").waitFor({ timeout: 20_000 });
    assert.equal(await A.locator(".pa-ban .pa-badge.pa-warn").count(), 0);

    // A ban for a time pushed to the open widget ends on time as well, and leaves the
    // Moderation tab's list of banned users by itself.
    await A.evaluate(() => location.hash = "#/moderation");
    const second = await ban(4);
    const listed = A.locator(".pa-users li", { hasText: "Bob Brown" });
    await A.evaluate(() => location.hash = "#/monitor");
    await A.evaluate(() => location.hash = "#/moderation");
    await listed.waitFor();
    await B.page.locator(".note.warn", { hasText: "turned off sending" }).waitFor();
    await B.page.locator("textarea").waitFor({ timeout: 20_000 });
    assert.ok(Date.now() >= second, "the composer came back before the second ban ended");
    await listed.waitFor({ state: "detached", timeout: 20_000 });
    assert.ok(Date.now() >= second, "the ban left the list before it ended");
    // And the server agrees: bob can send again.
    const bob = await login(server.url, "bob");
    assert.ok((await send(server.url, bob, "carol", "back")).id);
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
