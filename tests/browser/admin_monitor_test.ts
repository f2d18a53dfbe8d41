/**
 * The live monitor's rendering mechanism in headless Chromium, at a small scale: each message
 * renders its row once and no other row re-renders (what keeps bursts cheap; the speed itself is
 * measured by `deno task bench:admin`), a deletion re-renders one row, the list is not one huge
 * live region, "Load more" pages back past what the page loaded first, rows show name + id.
 */
import assert from "node:assert/strict";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, seedProfile, send, startServer, userKey } from "../support/helpers.ts";
import { launchBrowser } from "../support/browser.ts";

const USERS = ["ann", "ben", "cat", "dan"];

Deno.test("admin monitor: one render per new message and none for the rows already shown; paging back; name + id", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  const browser = await launchBrowser();
  try {
    const kv = s.parley.deps.kv;
    for (const u of USERS) await seedProfile(kv, u, { name: `Татьяна ${u}` });
    // Someone whose messages are older than anything the monitor loads first.
    await seedProfile(kv, "eve", { name: "Ёжик Туманный", login: "hedgehog" });
    const eves = [];
    for (let i = 0; i < 3; i++) {
      eves.push(await sendMessage(kv, { from: "eve", to: USERS[i], text: `eve ${i}` }));
    }
    // 160 older messages: more than the first page (50) and the first window (100).
    const old = [];
    for (let i = 0; i < 160; i++) {
      old.push(
        await sendMessage(kv, { from: USERS[i % 4], to: USERS[(i + 1) % 4], text: `old ${i}` }),
      );
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.addInitScript("window.__parleyAdminRenders = 0");
    // The most rows one task put on screen (a MutationObserver callback sees one task's rows).
    await page.addInitScript(`window.__maxAdded = 0;
      addEventListener("DOMContentLoaded", () => new MutationObserver((records) => {
        let n = 0;
        for (const r of records) for (const x of r.addedNodes) if (x.classList?.contains("pa-msg")) n++;
        window.__maxAdded = Math.max(window.__maxAdded, n);
      }).observe(document.body, { childList: true, subtree: true }));`);
    await page.goto(`${s.url}/admin?lang=en`);
    await page.fill('input[name="user_id"]', "admin");
    await page.fill('input[name="user_key"]', await userKey("admin"));
    await page.click('button[type="submit"]');
    await page.locator(".pa-dot.pa-on").waitFor({ timeout: 15_000 });
    const rows = page.locator(".pa-live .pa-msg");
    await page.waitForFunction(() => document.querySelectorAll(".pa-live .pa-msg").length === 50);
    const renders = () =>
      page.evaluate(() => (globalThis as { __parleyAdminRenders?: number }).__parleyAdminRenders!);
    const before = await renders();
    assert.equal(before, 50, "the first page renders each row once");

    // One burst of 60 concurrent sends.
    const tokens = await Promise.all(USERS.map((u) => login(s.url, u)));
    await page.evaluate(() => ((globalThis as { __maxAdded?: number }).__maxAdded = 0));
    const sent: { id: string }[] = await Promise.all(
      Array.from(
        { length: 60 },
        (_, i) => send(s.url, tokens[i % 4], USERS[(i + 2) % 4], `burst message ${i}`),
      ),
    );
    await page.waitForFunction(
      (ids) => ids.every((id) => document.querySelector(`.pa-live [data-id="${id}"]`)),
      sent.map((m) => m.id),
    );
    assert.equal(await renders(), before + 60, "60 messages, 60 row renders");
    // The render budget: a burst goes on screen at most 20 rows a frame, not in one long task.
    const most = await page.evaluate(() => (globalThis as { __maxAdded?: number }).__maxAdded!);
    assert.ok(most > 0 && most <= 20, `at most 20 rows per task, saw ${most}`);
    // Deleting one message re-renders that row only.
    const admin = await login(s.url, "admin");
    const victim = sent[5].id;
    assert.equal(
      (await api(s.url, "DELETE", `/api/v1/admin/messages/${victim}`, { token: admin })).status,
      200,
    );
    await page.locator(`.pa-live [data-id="${victim}"].pa-gone`).waitFor();
    assert.equal(await renders(), before + 61);

    // Not one live region of every card (a screen reader would read them all).
    assert.equal(await page.locator(".pa-live[aria-live], .pa-live [aria-live]").count(), 0);
    // Rows show name and id, so two users named alike differ.
    assert.match(await rows.first().textContent() ?? "", /Татьяна \w+ #\w+\s*→\s*Татьяна \w+ #\w+/);

    // Load more: the window grows, then older pages come from the server, down to the oldest.
    const more = page.locator("button.pa-more");
    const oldest = page.locator(`.pa-live [data-id="${old[0].id}"]`);
    for (let i = 0; i < 5 && !await oldest.count() && await more.count(); i++) {
      const n = await rows.count();
      await more.click();
      // Done when the button is gone (the oldest page came) or idle again with more rows.
      await page.waitForFunction((n) => {
        const button = document.querySelector("button.pa-more");
        const count = document.querySelectorAll(".pa-live .pa-msg").length;
        return !button || (!(button as HTMLButtonElement).disabled && count > n);
      }, n);
    }
    await oldest.waitFor();
    assert.equal(await rows.count(), 223);

    // The filter asks the server: "ежик" finds Ёжик's messages, older than the live list held
    // at first, and a new one of theirs joins live; nobody else's rows stay.
    await page.locator(".pa-filter").fill("ежик");
    await page.locator(".pa-filter-note").waitFor();
    assert.match(await page.locator(".pa-filter-note").textContent() ?? "", /Ёжик Туманный #eve/);
    await page.waitForFunction(() => document.querySelectorAll(".pa-live .pa-msg").length === 3);
    const eveToken = await login(s.url, "eve");
    const fresh = await send(s.url, eveToken, "ben", "eve live");
    await page.locator(`.pa-live [data-id="${fresh.id}"]`).waitFor();
    assert.deepEqual(
      await page.locator(".pa-live .pa-msg").evaluateAll((els) => els.map((e) => e.dataset.id)),
      [fresh.id, ...eves.map((m) => m.id).reverse()],
    );
    // An id matches exactly; a name nobody has says so.
    await page.locator(".pa-filter").fill("ev");
    await page.getByText("No user matches “ev”.").waitFor();
  } finally {
    await browser.close();
    await s.close();
  }
});
