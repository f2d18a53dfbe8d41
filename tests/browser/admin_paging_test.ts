/**
 * Lists over bounded scans fill their page by themselves: a filtered audit log or a user search
 * whose first answers come back short (or empty) with a next cursor asks on, at most 5 requests a
 * click, and says how far it searched when it stops early ("Searched 5,000 entries so far"), with
 * "Search further" to go on.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startServer, userKey } from "../support/helpers.ts";
import { launchBrowser } from "../support/browser.ts";
import { seedAudit, seedUsers } from "../support/bounded_seed.ts";

function count(page: Page, pattern: RegExp): { n: number } {
  const seen = { n: 0 };
  page.on("request", (r) => {
    if (pattern.test(r.url())) seen.n++;
  });
  return seen;
}

Deno.test("admin page: short bounded-scan pages are filled automatically, with progress when it stops early", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "boss" });
  const browser = await launchBrowser();
  try {
    const kv = s.parley.deps.kv;
    // 6,000 audit rows, 3 of them notes: a filtered request reads 1,000.
    await seedAudit(kv, 6000, [10, 1500, 2500]);
    // 2,100 users, 2 named Needle: a search request looks at 2,000.
    await seedUsers(kv, 2100, [5, 2050]);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${s.url}/admin?lang=en`);
    await page.fill('input[name="user_id"]', "boss");
    await page.fill('input[name="user_key"]', await userKey("boss"));
    await page.click('button[type="submit"]');
    await page.locator(".pa-nav").waitFor();

    // The audit log filtered by an action: three matches spread over 2,500 rows.
    const audit = count(page, /\/api\/v1\/admin\/audit\?.*action=user\.note/);
    await page.evaluate(() => location.hash = "#/audit");
    await page.locator('select[name="action"]').selectOption("user.note");
    await page.click("[data-audit-filters] button[type=submit]");
    const progress = page.locator("[data-progress]");
    await progress.waitFor();
    assert.equal(await page.locator('td[data-action="user.note"]').count(), 3);
    assert.match(await progress.textContent() ?? "", /Searched 5,000 entries so far/);
    assert.equal(audit.n, 5, "one click asks at most 5 times");
    // Going on searches the last 1,000 rows: nothing more, and the list says it is complete.
    await page.getByRole("button", { name: "Search further" }).click();
    await page.waitForFunction(() => !document.querySelector("[data-progress]"));
    await page.locator('td[data-action="user.note"]').nth(2).waitFor();
    // (the last 1,000 rows end exactly at a request's budget, so one more finds the end)
    assert.ok(audit.n > 5 && audit.n <= 10, `${audit.n} requests`);
    assert.equal(await page.locator('td[data-action="user.note"]').count(), 3);
    assert.equal(await page.getByRole("button", { name: "Search further" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0);

    // The user search: the second match is past the first request's 2,000 users.
    const users = count(page, /\/api\/v1\/admin\/users\?.*q=needle/);
    await page.evaluate(() => location.hash = "#/user");
    await page.locator("input[data-search]").fill("needle");
    await page.locator("input[data-search]").press("Enter");
    await page.locator(".pa-users li", { hasText: "Needle 2050" }).waitFor();
    assert.equal(await page.locator(".pa-users li").count(), 2);
    assert.equal(users.n, 2);
    assert.equal(await page.locator("[data-progress]").count(), 0);
    await ctx.close();
  } finally {
    await browser.close();
    await s.close();
  }
});
