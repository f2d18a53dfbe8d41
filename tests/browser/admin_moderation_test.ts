/**
 * The moderation workflow in headless Chromium: a moderator's page (no views of private dialogs),
 * claiming shown to a colleague live, a colleague's decision keeping my typed note, resolve and
 * ban for a time, unban asked first, bulk dismiss with its report, text search with marks, audit
 * filters and an export downloaded with the page's cookie.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { closeComplaints } from "../../kv/moderation/complaint_workflow.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { seedProfile, startServer, userKey } from "../support/helpers.ts";
import { launchBrowser } from "../support/browser.ts";

async function signIn(browser: Browser, base: string, uid: string, lang: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/admin?lang=${lang}`);
  await page.fill('input[name="user_id"]', uid);
  await page.fill('input[name="user_key"]', await userKey(uid));
  await page.click('button[type="submit"]');
  await page.locator(".pa-nav").waitFor({ timeout: 15_000 });
  return page;
}

const tabs = (page: Page) =>
  page.locator(".pa-nav [data-tab]").evaluateAll((els) =>
    els.map((e) => e.getAttribute("data-tab"))
  );

Deno.test("admin page moderation: moderator's tabs, claim live, kept note on conflict, resolve and ban for 1 h, unban asked, bulk, search, audit filter, export", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "boss", PARLEY_MODERATOR_IDS: "mod" });
  const browser = await launchBrowser();
  try {
    const kv = s.parley.deps.kv;
    for (
      const [id, name] of [["boss", "Boss Bea"], ["mod", "Мод Модестов"], ["anna", "Анна"], [
        "greg",
        "Greg",
      ]]
    ) {
      await seedProfile(kv, id, { name });
    }
    const bad = await sendMessage(kv, { from: "greg", to: "anna", text: "Pay now, Ёжик" });
    await sendMessage(kv, { from: "anna", to: "greg", text: "нет" });
    const c1 = await createComplaint(kv, {
      reporter: "anna",
      target: "greg",
      message_id: bad.id,
      reason: "scam",
      text: "",
    });
    const mod = await signIn(browser, s.url, "mod", "ru");
    const boss = await signIn(browser, s.url, "boss", "en");

    // A moderator sees the queue and moderation only; a monitor address opens the queue.
    assert.deepEqual(await tabs(mod), ["complaints", "moderation"]);
    assert.deepEqual(await tabs(boss), [
      "monitor",
      "dialog",
      "user",
      "search",
      "complaints",
      "gallery",
      "moderation",
      "audit",
    ]);
    await mod.evaluate(() => location.hash = "#/monitor");
    await mod.locator(".pa-complaint").first().waitFor();

    // The moderator claims; the admin's open complaint shows it live.
    await boss.evaluate((id) => location.hash = `#/complaints/${id}`, c1.id);
    await boss.locator("[data-assignee]").waitFor();
    assert.equal(await boss.locator("[data-assignee]").textContent(), "nobody");
    await mod.evaluate((id) => location.hash = `#/complaints/${id}`, c1.id);
    // The reported message in its context, without links into dialogs.
    await mod.locator(".pa-context .pa-msg.pa-hl").waitFor();
    assert.equal(await mod.locator("[data-open-at-message]").count(), 0);
    assert.equal(
      await boss.locator("[data-open-at-message]").getAttribute("href"),
      `#/dialog/anna/greg/${bad.id}`,
    );
    await mod.getByRole("button", { name: "Взять себе" }).click();
    await boss.locator("[data-assignee]", { hasText: "Мод Модестов" }).waitFor();
    // Handed over to a colleague by name, and back to the moderator.
    await boss.fill('input[name="assign_to"]', "Boss Bea");
    await boss.locator(".pa-assign button").click();
    await mod.locator("[data-assignee]", { hasText: "Boss Bea" }).waitFor();
    await mod.getByRole("button", { name: "Взять себе" }).click();
    await boss.locator("[data-assignee]", { hasText: "Мод Модестов" }).waitFor();

    // The admin types a note; the moderator decides first; the admin's Dismiss keeps the note.
    await boss.fill(".pa-decide textarea", "my careful note");
    // Decided behind the page's back (no live event), so the click meets the 409.
    await closeComplaints(kv, [c1.id], "resolved", "", "mod");
    await boss.getByRole("button", { name: "Dismiss", exact: true }).click();
    await boss.locator(".pa-notice", {
      hasText: "A colleague has handled this complaint already (resolved)",
    })
      .waitFor();
    await boss.locator(".pa-facts", { hasText: "Resolved" }).waitFor();
    assert.equal(await boss.locator("textarea").inputValue(), "my careful note");

    // Resolve and ban for one hour, from the moderator's page (confirmed).
    const c2 = await createComplaint(kv, {
      reporter: "anna",
      target: "greg",
      message_id: null,
      reason: "abuse",
      text: "again",
    });
    await mod.evaluate((id) => location.hash = `#/complaints/${id}`, c2.id);
    await mod.locator(".pa-decide select").selectOption("3600");
    mod.once("dialog", (d) => d.accept());
    await mod.getByRole("button", { name: "Решено и заблокировать" }).click();
    await mod.locator(".pa-facts", { hasText: "Решённые" }).waitFor();
    const ban = (await kv.get<{ until: string }>(["ban", "greg"])).value!;
    const left = Date.parse(ban.until) - Date.now();
    assert.ok(left > 3_500_000 && left <= 3_600_000, `ban for about an hour, ${left} ms left`);
    await mod.evaluate(() => location.hash = "#/moderation");
    await mod.locator(".pa-users li", { hasText: "до " }).waitFor();

    // Unban asks first: declined, nothing changes; accepted, the ban goes.
    mod.once("dialog", (d) => d.dismiss());
    await mod.getByRole("button", { name: "Разблокировать" }).click();
    await mod.waitForTimeout(300);
    assert.ok((await kv.get(["ban", "greg"])).value, "a declined unban leaves the ban");
    mod.once("dialog", (d) => d.accept());
    await mod.getByRole("button", { name: "Разблокировать" }).click();
    await mod.locator(".pa-users li").waitFor({ state: "detached" });
    assert.equal((await kv.get(["ban", "greg"])).value, null);

    // The user card: a ban for 7 days shows its end; its unban asks first too.
    await boss.evaluate(() => location.hash = "#/user/anna");
    await boss.locator(".pa-card .pa-ban select").selectOption("604800");
    boss.once("dialog", (d) => d.accept());
    await boss.locator(".pa-card").getByRole("button", { name: "Ban", exact: true }).click();
    await boss.locator(".pa-card .pa-badge", { hasText: "until" }).waitFor();
    const week = Date.parse((await kv.get<{ until: string }>(["ban", "anna"])).value!.until);
    assert.ok(Math.abs(week - Date.now() - 7 * 86_400_000) < 60_000);
    boss.once("dialog", (d) => d.dismiss());
    await boss.locator(".pa-card").getByRole("button", { name: "Unban" }).click();
    await boss.waitForTimeout(300);
    assert.ok((await kv.get(["ban", "anna"])).value, "a declined unban leaves the ban");

    // Bulk: three open complaints dismissed together, with a report.
    for (const r of ["r1", "r2", "r3"]) {
      await createComplaint(kv, {
        reporter: r,
        target: "greg",
        message_id: null,
        reason: "spam",
        text: r,
      });
    }
    await mod.evaluate(() => location.hash = "#/complaints");
    await mod.locator(".pa-pick").nth(2).waitFor();
    await mod.locator("[data-select-all]").check();
    await mod.locator('[data-bulk="dismiss"]').click();
    await mod.locator("[data-bulk-report]", { hasText: "Закрыто: 3." }).waitFor();
    await mod.locator(".pa-complaints li").first().waitFor({ state: "detached" });

    // The dialog view's download is that dialog.
    await boss.evaluate(() => location.hash = "#/dialog/anna/greg");
    const dialogCsv = await boss.locator('[data-export="csv"]').getAttribute("href");
    assert.match(dialogCsv!, /export\/messages\?user=anna&peer=greg&format=csv$/);
    const rows = await boss.evaluate((u) => fetch(u).then((r) => r.text()), dialogCsv!);
    assert.equal(rows.trim().split("\r\n").length, 3, "header and the dialog's two messages");

    // Search: folded, with what matched marked.
    await boss.evaluate(() => location.hash = "#/search");
    await boss.fill('input[name="q"]', "ежик");
    await boss.click('form[role="search"] button[type="submit"]');
    await boss.locator("mark.pa-found", { hasText: "Ёжик" }).waitFor();

    // Audit filtered by action, names of who acted; the export is the filtered list.
    await boss.evaluate(() => location.hash = "#/audit");
    await boss.locator('select[name="action"]').selectOption("user.ban");
    await boss.click("[data-audit-filters] button[type=submit]");
    await boss.locator("td[data-action]").first().waitFor();
    // Rows of the filtered answer only (the old rows first show, then none while it loads).
    await boss.waitForFunction(() => {
      const cells = [...document.querySelectorAll("td[data-action]")];
      return cells.length > 0 && cells.every((td) => td.getAttribute("data-action") === "user.ban");
    });
    assert.match(await boss.locator(".pa-table tbody").textContent() ?? "", /Мод Модестов/);
    const href = await boss.locator('[data-audit-filters] [data-export="csv"]').getAttribute(
      "href",
    );
    assert.match(href!, /export\/audit\?action=user\.ban&format=csv$/);
    const csv = await boss.evaluate(
      (u) => fetch(u, { credentials: "same-origin" }).then((r) => r.text()),
      href!,
    );
    const lines = csv.trim().split("\r\n");
    // The header, the admin's ban of anna, the moderator's ban of greg.
    assert.equal(lines.length, 3);
    assert.match(lines[1], /,boss,Boss Bea,user\.ban,anna,/);
    assert.match(lines[2], /,mod,Мод Модестов,user\.ban,greg,/);
  } finally {
    await browser.close();
    await s.close();
  }
});
