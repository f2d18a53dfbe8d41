/**
 * The monitor misses no message sent while it starts: the page reads the newest messages only
 * once its stream is open (its `ready` frame), so a message sent between that read and the
 * stream's start is in one of the two. The test holds the page's stream request, sends a message
 * while it is held (after the page's list request, if the page makes one meanwhile), then lets
 * the stream through: the message must show, once.
 */
import assert from "node:assert/strict";
import { login, send, SseClient, startServer, userKey } from "../support/helpers.ts";
import { launchBrowser } from "../support/browser.ts";

Deno.test("admin monitor: a message sent while the stream is still opening shows once", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "boss" });
  const browser = await launchBrowser();
  let watcher: SseClient | undefined;
  try {
    const ann = await login(s.url, "ann");
    await send(s.url, ann, "ben", "before the page");
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${s.url}/admin?lang=en`);
    await page.fill('input[name="user_id"]', "boss");
    await page.fill('input[name="user_key"]', await userKey("boss"));

    // Hold the admin stream; note when the newest-messages list has been answered.
    let release!: () => void;
    const released = new Promise<void>((r) => release = r);
    let listed = false;
    page.on("response", (r) => {
      if (/\/api\/v1\/admin\/messages\?limit=50/.test(r.url())) listed = true;
    });
    await page.route("**/api/v1/admin/events**", async (route) => {
      await released;
      await route.continue();
    });
    await page.click('button[type="submit"]');
    await page.locator(".pa-nav").waitFor({ timeout: 15_000 });
    // A page that lists before its stream is open does so now; give it the time to.
    const deadline = Date.now() + 3000;
    while (!listed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    // Sent while the page's stream is held; it is in the admin log before the stream starts.
    const boss = await login(s.url, "boss");
    watcher = await SseClient.open(s.url, boss, { path: "/api/v1/admin/events" });
    await watcher.waitFor((e) => e.event === "ready");
    const meanwhile = await send(s.url, ann, "ben", "sent while the stream was opening");
    await watcher.waitFor((e) =>
      e.event === "message" && (e.data as { id: string }).id === meanwhile.id
    );
    release();

    await page.locator(`.pa-msg[data-id="${meanwhile.id}"]`).waitFor({ timeout: 10_000 });
    // And live messages after it still arrive, each once.
    const after = await send(s.url, ann, "ben", "after the stream");
    await page.locator(`.pa-msg[data-id="${after.id}"]`).waitFor();
    assert.equal(await page.locator(`.pa-msg[data-id="${meanwhile.id}"]`).count(), 1);
    assert.equal(await page.locator(".pa-msg", { hasText: "before the page" }).count(), 1);
    await ctx.close();
  } finally {
    await watcher?.close();
    await browser.close();
    await s.close();
  }
});
