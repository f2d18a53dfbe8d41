/**
 * What the admin page keeps live without a reload (issue 15 defect 5): the monitor's read/unread
 * label, the dialog counters, the gallery, the dialog view, and a complaint a colleague decided
 * while this moderator was typing a note (the note stays; no raw English error).
 */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, seedProfile, send, startServer, userKey } from "../support/helpers.ts";
import { launchBrowser } from "../support/browser.ts";
import { makePng } from "../support/image_fixtures.ts";

Deno.test("admin page live: read labels, counters, gallery, dialog, a complaint decided elsewhere", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin,boss" });
  const browser = await launchBrowser();
  try {
    const kv = s.parley.deps.kv;
    for (const [id, name] of [["anna", "Анна"], ["ben", "Ben"], ["cat", "Cat"]]) {
      await seedProfile(kv, id, { name, login: id });
    }
    const first = await sendMessage(kv, { from: "cat", to: "ben", text: "before the page" });
    const complaint = await createComplaint(kv, {
      reporter: "ben",
      target: "cat",
      message_id: first.id,
      reason: "spam",
      text: "",
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${s.url}/admin?lang=en`);
    await page.fill('input[name="user_id"]', "admin");
    await page.fill('input[name="user_key"]', await userKey("admin"));
    await page.click('button[type="submit"]');
    await page.locator(".pa-dot.pa-on").waitFor({ timeout: 15_000 });
    // Stats came once at the start: one dialog this hour.
    const hour = page.locator(".pa-stat", { hasText: "hour" }).locator("b");
    await page.waitForFunction(() => document.querySelector(".pa-stat b")?.textContent === "1");

    // Read/unread follows the recipient's read receipt.
    const anna = await login(s.url, "anna");
    const ben = await login(s.url, "ben");
    const m = await send(s.url, anna, "ben", "read me");
    const row = page.locator(`.pa-live [data-id="${m.id}"]`);
    await row.getByText("unread").waitFor();
    const r = await api(s.url, "POST", "/api/v1/dialogs/anna/read", {
      token: ben,
      json: { up_to: m.id },
    });
    assert.equal(r.status, 200);
    await row.getByText("read", { exact: true }).waitFor();

    // The counters follow the messages (a second dialog this hour), well before the 20 s polling
    // of old would have refreshed them.
    await page.waitForFunction(
      () => document.querySelector(".pa-stat b")?.textContent === "2",
      undefined,
      { timeout: 10_000 },
    );
    assert.equal(await hour.textContent(), "2");

    // The dialog view of two users shows their new message live.
    await page.goto(`${s.url}/admin?lang=en#/dialog/anna/ben`);
    await page.locator(`.pa-list [data-id="${m.id}"]`).waitFor();
    const reply = await send(s.url, ben, "anna", "a reply, live");
    await page.locator(`.pa-list [data-id="${reply.id}"]`).waitFor();

    // The gallery shows a new image live.
    await page.click('[data-tab="gallery"]');
    await page.getByText("No attachments.").waitFor();
    const form = new FormData();
    form.set("image", new File([await makePng(200, 120, true)], "p.png", { type: "image/png" }));
    const up = await api(s.url, "POST", "/api/v1/dialogs/cat/messages", {
      token: anna,
      body: form,
    });
    assert.equal(up.status, 201);
    await page.locator(".pa-tile").first().waitFor();

    // A complaint: a note typed here, a colleague resolves it meanwhile: the status changes here
    // live, the buttons go, the note stays (read-only) and nothing is lost or shown in English.
    await page.goto(`${s.url}/admin?lang=ru#/complaints/${complaint!.id}`);
    const note = page.locator(".pa-complaint-view textarea");
    await note.fill("моя заметка");
    const boss = await login(s.url, "boss");
    const done = await api(s.url, "POST", `/api/v1/admin/complaints/${complaint!.id}/resolve`, {
      token: boss,
      json: { note: "коллега решил" },
    });
    assert.equal(done.status, 200);
    await page.locator(".pa-facts", { hasText: "коллега решил" }).waitFor();
    assert.equal(await note.inputValue(), "моя заметка");
    assert.equal(await page.locator(".pa-decide button").count(), 0);
  } finally {
    await browser.close();
    await s.close();
  }
});
