/**
 * A moderator opening a complaint sees the real images of its context (not the placeholder tile
 * a 403 used to leave), full size too; the gallery and other images stay closed to them.
 */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { api, login, send, startServer, userKey } from "../support/helpers.ts";
import { launchBrowser } from "../support/browser.ts";
import { makePng } from "../support/image_fixtures.ts";

Deno.test("a moderator sees the real image inside a complaint's context", async () => {
  const s = await startServer({ PARLEY_MODERATOR_IDS: "mod" });
  const browser = await launchBrowser();
  try {
    const greg = await login(s.url, "greg");
    const f = new FormData();
    f.set("image", new File([await makePng(64, 48)], "a.png", { type: "image/png" }));
    const img = await api<{ message: { id: string; attachment: { id: string } } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/anna/messages",
      { token: greg, body: f },
    );
    assert.equal(img.status, 201);
    const bad = await send(s.url, greg, "anna", "send the money first");
    const complaint = await createComplaint(s.parley.deps.kv, {
      reporter: "anna",
      target: "greg",
      message_id: bad.id,
      reason: "scam",
      text: "",
    });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${s.url}/admin?lang=en`);
    await page.fill('input[name="user_id"]', "mod");
    await page.fill('input[name="user_key"]', await userKey("mod"));
    await page.click('button[type="submit"]');
    await page.locator(".pa-nav").waitFor();
    await page.evaluate((id) => location.hash = `#/complaints/${id}`, complaint.id);

    const row = page.locator(`.pa-context .pa-msg[data-id="${img.body.message.id}"]`);
    await row.locator("img.pa-thumb").waitFor();
    await page.waitForFunction((id) => {
      const el = document.querySelector<HTMLImageElement>(`.pa-msg[data-id="${id}"] img.pa-thumb`);
      return el?.complete && el.naturalWidth > 0;
    }, img.body.message.id);
    assert.equal(await page.locator(".pa-context .pa-thumb-missing").count(), 0);
    assert.equal(
      await row.locator("img.pa-thumb").evaluate((el) => (el as HTMLImageElement).naturalWidth),
      64,
    );
    // Full size opens too.
    await row.locator(".pa-thumb-button").click();
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLImageElement>("img.pa-full-img");
      return el?.complete && el.naturalWidth === 64;
    });
    // The page's cookie opens nothing else: an image of a dialog no complaint shows is 403.
    const other = await api<{ message: { attachment: { id: string } } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/zoe/messages",
      { token: greg, body: f },
    );
    const status = await page.evaluate(
      (id) => fetch(`/api/v1/admin/attachments/${id}`).then((r) => r.status),
      other.body.message.attachment.id,
    );
    assert.equal(status, 403);
    await ctx.close();
  } finally {
    await browser.close();
    await s.close();
  }
});
