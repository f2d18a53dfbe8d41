/** The admin page in headless Chromium: sign-in, live monitor, complaints, gallery, phone width. */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, seedProfile, send, startServer, userKey } from "../support/helpers.ts";
import { launchBrowser, tokenUrls, until, watchUrls } from "../support/browser.ts";
import { makePng } from "../support/image_fixtures.ts";

/** `deno task screenshots` writes the README's pictures to docs/; a normal run to a temp dir. */
const DOCS = Deno.env.get("PARLEY_SCREENSHOTS")
  ? new URL("../../docs/", import.meta.url)
  : new URL(`file://${await Deno.makeTempDir({ prefix: "parley-shots-" })}/`);

const PEOPLE: [string, string, string][] = [
  ["admin", "Admin Ada", "ada"],
  ["anna", "Анна Петрова", "anna_p"],
  ["boris", "Boris Ivanov", "boris"],
  ["vera", "Вера Смирнова", "vera"],
  ["greg", "Greg Miller", "gmiller"],
];

/** A dozen ordinary messages, a few images and one complaint, as on a small live site. */
async function seed(kv: Deno.Kv, url: string) {
  for (const [user_id, name, login] of PEOPLE) {
    await seedProfile(kv, user_id, { name, login });
  }
  const lines: [string, string, string][] = [
    ["anna", "boris", "Привет! Диван ещё продаётся?"],
    ["boris", "anna", "Да, можно посмотреть в субботу."],
    ["vera", "greg", "Hi Greg, is the bike still available?"],
    ["greg", "vera", "Yes, it is. Want to see photos?"],
    ["anna", "boris", "Отлично, договорились."],
    ["greg", "anna", "Send me money first, then I ship it."],
    ["anna", "greg", "Нет, только при встрече."],
    ["greg", "anna", "Idiot. Pay now or I tell everyone."],
    ["anna", "greg", "Я пожалуюсь модератору."],
  ];
  const sent = [];
  for (const [from, to, text] of lines) sent.push(await sendMessage(kv, { from, to, text }));
  // Real images through the real upload API, so the gallery shows real thumbnails.
  for (const [i, [from, to]] of [["greg", "vera"], ["boris", "anna"], ["vera", "greg"]].entries()) {
    const form = new FormData();
    form.set("text", i === 0 ? "Here it is" : "");
    const png = await makePng(320 + i * 40, 240, true);
    form.set("image", new File([png], "photo.png", { type: "image/png" }));
    const r = await api(url, "POST", `/api/v1/dialogs/${to}/messages`, {
      token: await login(url, from),
      body: form,
    });
    assert.equal(r.status, 201);
  }
  await sendMessage(kv, {
    from: "greg",
    to: "boris",
    text: "call me [phone hidden]",
    extra: { original_text: "call me +7 912 345-67-89", masked: true },
  });
  const insult = sent[7];
  return await createComplaint(kv, {
    reporter: "anna",
    target: "greg",
    message_id: insult.id,
    reason: "abuse",
    text: "Threatens me and asks for money up front.",
  });
}

Deno.test("admin page: live monitor, complaint with context resolved, gallery, others refused", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  const browser = await launchBrowser();
  try {
    const kv = s.parley.deps.kv;
    const complaint = await seed(kv, s.url);
    await Deno.mkdir(DOCS, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const urls = watchUrls(page);
    page.on("dialog", (d) => d.accept());
    const res = await page.goto(`${s.url}/admin?lang=en`);
    assert.equal(res?.status(), 200);
    await page.fill('input[name="user_id"]', "admin");
    await page.fill('input[name="user_key"]', await userKey("admin"));
    await page.click('button[type="submit"]');
    await page.locator(".pa-dot.pa-on").waitFor({ timeout: 15_000 });
    assert.ok(!page.url().includes("user_key"), "no key in the address bar");

    // Two other users talk; the message appears in the monitor live.
    const anna = await login(s.url, "anna");
    await send(s.url, anna, "vera", "Вера, привет! Это сообщение видно в мониторе сразу.");
    const live = page.locator(".pa-live .pa-msg", { hasText: "видно в мониторе сразу" });
    await live.waitFor({ timeout: 5000 });
    assert.match(await live.textContent() ?? "", /Анна Петрова #anna\s*→\s*Вера Смирнова #vera/);
    // Dialog counts are shown (4 or 5 dialogs, depending on whether the first count came first).
    await page.locator(".pa-stat b", { hasText: /^[45]$/ }).first().waitFor();
    // The moderator sees the original of a masked message.
    await page.locator(".pa-orig", { hasText: "+7 912 345-67-89" }).waitFor();
    await page.screenshot({ path: new URL("admin-monitor.png", DOCS).pathname });
    // A reply: the monitor names what it answers.
    const annas = await send(s.url, anna, "vera", "Ответь, когда сможешь");
    const reply = await api(s.url, "POST", "/api/v1/dialogs/anna/messages", {
      token: await login(s.url, "vera"),
      json: { text: "Уже отвечаю", reply_to: annas.id },
    });
    assert.equal(reply.status, 201);
    const quoted = page.locator(".pa-live .pa-msg", { hasText: "Уже отвечаю" }).locator(
      ".pa-reply",
    );
    await quoted.waitFor();
    assert.match(
      (await quoted.textContent())!,
      /^In reply to Анна Петрова #anna: Ответь, когда сможешь$/,
    );

    // A new complaint arrives live: the badge counts it.
    await createComplaint(kv, {
      message_id: null,
      reporter: "vera",
      target: "greg",
      text: "",
      reason: "spam",
    });
    await page.locator(".pa-count", { hasText: "2" }).waitFor({ timeout: 5000 });

    // The queue; the reported message in its context; resolve with a note.
    await page.click('[data-tab="complaints"]');
    await page.click(`a[href="#/complaints/${complaint!.id}"]`);
    const reported = page.locator(".pa-context .pa-msg.pa-hl");
    await reported.waitFor();
    assert.match(await reported.textContent() ?? "", /Pay now or I tell everyone/);
    assert.equal(await page.locator(".pa-context .pa-msg").count(), 4);
    await page.fill(".pa-decide textarea", "Warned Greg; second strike bans.");
    await page.screenshot({ path: new URL("admin-complaints.png", DOCS).pathname, fullPage: true });
    await page.click("text=Resolve");
    await page.locator(".pa-facts", { hasText: "Warned Greg" }).waitFor();
    const after = await api<{ complaint: { status: string; note: string } }>(
      s.url,
      "GET",
      `/api/v1/admin/complaints/${complaint!.id}`,
      { token: await login(s.url, "admin") },
    );
    assert.equal(after.body.complaint.status, "resolved");
    await page.locator(".pa-count", { hasText: "1" }).waitFor({ timeout: 5000 });

    // The gallery: newest first, each tile opens its dialog at that message.
    await page.click('[data-tab="gallery"]');
    const tiles = page.locator(".pa-tile");
    await tiles.first().waitFor();
    assert.equal(await tiles.count(), 3);
    await until(
      () => tiles.first().locator("img").evaluate((i) => (i as HTMLImageElement).naturalWidth),
      "the first tile's image loads",
    );
    // The monitor stream and the images went out on the cookie; no URL ever held a token.
    assert.ok(urls.some((u) => u.includes("/api/v1/admin/events")));
    assert.ok(urls.some((u) => u.includes("/api/v1/admin/attachments/")));
    assert.deepEqual(tokenUrls(urls), []);
    await page.screenshot({ path: new URL("admin-gallery.png", DOCS).pathname });
    await tiles.first().locator("a").click();
    await page.locator(".pa-msg.pa-hl", { hasText: "Вера Смирнова" }).waitFor();
    assert.match(page.url(), /#\/dialog\/vera\/greg\/[0-9A-Z]{26}$/);

    // On a phone (360 px) nothing overflows sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.click('[data-tab="monitor"]');
    await live.waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width}px wide at 360px`);

    // A valid non-admin is refused by the form with the same words as a wrong key.
    const other = await browser.newPage();
    await other.goto(`${s.url}/admin?lang=ru`);
    await other.fill('input[name="user_id"]', "anna");
    await other.fill('input[name="user_key"]', await userKey("anna"));
    await other.click('button[type="submit"]');
    await other.locator(".pa-error", { hasText: "нет прав администратора" }).waitFor();
    await other.close();
  } finally {
    await browser.close();
    await s.close();
  }
});
