/**
 * The admin page as a dense, keyboard-driven console (issue 15): 20+ monitor rows per 800 px,
 * long texts collapsed, j/k, /, r, ?, focus on the new view's heading, Resolve within a few
 * Tabs, the chat-style dialog view, and the user side panel with a moderator's note.
 */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, seedProfile, startServer, userKey } from "../support/helpers.ts";
import { launchBrowser } from "../support/browser.ts";
import { makePng } from "../support/image_fixtures.ts";

/** A folder for screenshots to look at (PARLEY_CONSOLE_SHOTS), none by default. */
const SHOTS = Deno.env.get("PARLEY_CONSOLE_SHOTS");

const focused = (page: import("playwright-core").Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { id: el?.id ?? "", row: el?.dataset.id ?? "", cls: el?.className ?? "" };
  });

Deno.test("admin console: density, keyboard, focus, chat view, user panel", async () => {
  const s = await startServer({
    PARLEY_ADMIN_IDS: "admin",
    PARLEY_USER_URL_TEMPLATE: "https://site.example/u/{login}",
  });
  const browser = await launchBrowser();
  try {
    const kv = s.parley.deps.kv;
    await seedProfile(kv, "anna", { name: "Анна Петрова", login: "anna_p" });
    await seedProfile(kv, "ben", { name: "Ben Stone", login: "ben" });
    const sent = [];
    for (let i = 0; i < 40; i++) {
      const [from, to] = i % 2 ? ["ben", "anna"] : ["anna", "ben"];
      sent.push(await sendMessage(kv, { from, to, text: `short line ${i}` }));
    }
    const long = await sendMessage(kv, {
      from: "ben",
      to: "anna",
      text: "A long one. ".repeat(40),
    });
    const complaint = await createComplaint(kv, {
      reporter: "anna",
      target: "ben",
      message_id: sent[5].id,
      reason: "spam",
      text: "",
    });
    // An image message: in the compact monitor it stays one row, the image where the text goes.
    const form = new FormData();
    form.set("image", new File([await makePng(64, 48)], "p.png", { type: "image/png" }));
    const pic = await api<{ message: { id: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/anna/messages",
      { token: await login(s.url, "ben"), body: form },
    );
    assert.equal(pic.status, 201);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on("dialog", (d) => d.accept());
    await page.goto(`${s.url}/admin?lang=en`);
    await page.fill('input[name="user_id"]', "admin");
    await page.fill('input[name="user_key"]', await userKey("admin"));
    await page.click('button[type="submit"]');
    await page.locator(".pa-dot.pa-on").waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll(".pa-live .pa-msg").length === 42);
    const picRow = page.locator(`.pa-live [data-id="${pic.body.message.id}"]`);
    await picRow.locator("img.pa-thumb").waitFor();
    const [row, time, img, del] = await Promise.all(
      [picRow, picRow.locator("time"), picRow.locator("img"), picRow.locator(".pa-danger")].map(
        (l) => l.boundingBox(),
      ),
    );
    assert.ok(row!.height <= 56, `the image row is ${row!.height} px high`);
    assert.ok(time!.x < img!.x && img!.x < del!.x, "time, then the image, then the actions");
    assert.ok(del!.x + del!.width > row!.x + row!.width - 40, "the actions at the row's end");

    // Density: at least 20 rows in 800 px of the monitor.
    const inView = await page.evaluate(() => {
      const list = document.querySelector(".pa-live")!;
      const top = list.getBoundingClientRect().top;
      return [...list.querySelectorAll(".pa-msg")]
        .filter((r) => r.getBoundingClientRect().bottom <= top + 800).length;
    });
    assert.ok(inView >= 20, `${inView} rows in 800 px`);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/console-monitor.png` });
    // A long text starts collapsed, with "more".
    const longRow = page.locator(`.pa-live [data-id="${long.id}"]`);
    assert.equal(await longRow.locator(".pa-text.pa-clamp").count(), 1);
    await longRow.getByRole("button", { name: "more" }).click();
    assert.equal(await longRow.locator(".pa-text.pa-clamp").count(), 0);

    // j / k move between rows; "/" goes to the filter, where j is just a letter; ? lists keys.
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("j");
    assert.equal((await focused(page)).row, pic.body.message.id);
    await page.keyboard.press("j");
    assert.equal((await focused(page)).row, long.id);
    await page.keyboard.press("j");
    assert.equal((await focused(page)).row, sent[39].id);
    await page.keyboard.press("k");
    assert.equal((await focused(page)).row, long.id);
    await page.keyboard.press("/");
    assert.match((await focused(page)).cls, /pa-filter/);
    await page.keyboard.type("jk");
    assert.equal(await page.locator(".pa-filter").inputValue(), "jk");
    await page.locator(".pa-filter").fill("");
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard" });
    await help.waitFor();
    assert.match(await help.textContent() ?? "", /resolve the open complaint/);
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });

    // A view change puts focus on the new view's heading (not on <body>).
    await page.click('[data-tab="complaints"]');
    await page.locator(".pa-complaint").first().waitFor();
    assert.equal((await focused(page)).id, "pa-view-title");
    // The complaint: Resolve is a few Tabs from the heading, and r resolves it.
    await page.goto(`${s.url}/admin?lang=en#/complaints/${complaint!.id}`);
    await page.locator('[data-key="r"]').waitFor();
    await page.locator("#pa-view-title").focus();
    let tabs = 0;
    while (
      tabs < 30 &&
      !(await page.evaluate(() => document.activeElement?.textContent))?.includes("Resolve")
    ) {
      await page.keyboard.press("Tab");
      tabs++;
    }
    assert.ok(tabs <= 8, `Resolve is ${tabs} Tabs away`);
    // The decision in one row (Resolve, Dismiss, the ban's duration, Resolve and ban) under a
    // full-width note; handling (claim, assign) in the row above.
    const decide = await page.locator(".pa-decide").boundingBox();
    const note = await page.locator(".pa-decide textarea").boundingBox();
    assert.ok(note!.width >= decide!.width * 0.9, `the note is ${note!.width} px wide`);
    const line = await Promise.all(
      ['[data-key="r"]', '[data-key="d"]', ".pa-decide select", ".pa-decide .pa-danger"].map(
        async (sel) => {
          const b = (await page.locator(sel).boundingBox())!;
          return Math.round(b.y + b.height);
        },
      ),
    );
    assert.ok(Math.max(...line) - Math.min(...line) <= 4, `not one row: ${line}`);
    assert.ok(line[0] > note!.y + note!.height, "the decision is under the note");
    await page.locator("#pa-view-title").focus();
    await page.keyboard.press("r");
    await page.locator(".pa-facts", { hasText: "Resolved" }).waitFor();

    // The chat-style dialog view: oldest first, each side on its own side.
    await page.goto(`${s.url}/admin?lang=en#/dialog/anna/ben`);
    await page.getByRole("button", { name: "Chat" }).click();
    await page.locator(".pa-chat .pa-bubble").first().waitFor();
    const bubbles = await page.locator(".pa-chat .pa-bubble").evaluateAll((els) =>
      els.map((e) => [e.getAttribute("data-id"), e.classList.contains("pa-side-a") ? "a" : "b"])
    );
    assert.deepEqual(bubbles[0], [sent[0].id, "a"]);
    assert.deepEqual(bubbles[1], [sent[1].id, "b"]);
    assert.deepEqual(bubbles.at(-2), [long.id, "b"]);
    assert.deepEqual(bubbles.at(-1), [pic.body.message.id, "b"]);
    const [left, right] = await Promise.all(
      [sent[0].id, sent[1].id].map((id) =>
        page.locator(`[data-id="${id}"]`).evaluate((e) => e.getBoundingClientRect().left)
      ),
    );
    assert.ok(right > left + 100, "the other side's bubbles sit on the right");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/console-chat.png` });

    // The user side panel: the host's profile page, peers, complaints, a note written here.
    await page.goto(`${s.url}/admin?lang=en#/user/ben`);
    const panel = page.getByRole("complementary", { name: "About this user" });
    await panel.getByText("Talks with").waitFor();
    assert.equal(
      await panel.getByRole("link", { name: /Profile on the site/ }).getAttribute("href"),
      "https://site.example/u/ben",
    );
    assert.match(await panel.textContent() ?? "", /About them: 1 \(0 open\)/);
    await panel.getByRole("link", { name: "Анна Петрова" }).waitFor();
    await panel.getByLabel(/New note/).fill("Spams links; warned once.");
    await panel.getByRole("button", { name: "Save note" }).click();
    await panel.getByText("Spams links; warned once.").waitFor();
    const admin = await login(s.url, "admin");
    const audit = await api<{ audit: { action: string }[] }>(s.url, "GET", "/api/v1/admin/audit", {
      token: admin,
    });
    assert.equal(audit.body.audit[0].action, "user.note");
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/console-user.png` });

    // Date fields in the page's order, as its timestamps (ru: дд.мм.гггг), whatever the browser's
    // locale; a range from tomorrow finds nothing, from yesterday everything.
    await page.goto(`${s.url}/admin?lang=ru#/user/ben`);
    const from = page.locator('input[name="from"]');
    assert.equal(await from.getAttribute("placeholder"), "дд.мм.гггг чч:мм");
    const ddmm = (ms: number) => {
      const d = new Date(ms);
      const p2 = (n: number) => String(n).padStart(2, "0");
      return `${p2(d.getDate())}.${p2(d.getMonth() + 1)}.${d.getFullYear()}`;
    };
    const now = await page.evaluate(() => Date.now());
    await from.fill(ddmm(now + 86_400_000));
    await page.getByRole("button", { name: "Показать", exact: true }).click();
    await page.getByText("Сообщений нет.").waitFor();
    await from.fill(ddmm(now - 86_400_000) + " 00:00");
    await page.getByRole("button", { name: "Показать", exact: true }).click();
    await page.locator(`.pa-list [data-id="${long.id}"]`).waitFor();
    // Text that is no date keeps the form from being sent (the field's pattern).
    assert.equal(await from.evaluate((e) => (e as HTMLInputElement).checkValidity()), true);
    await from.fill("12/31/2026x");
    assert.equal(await from.evaluate((e) => (e as HTMLInputElement).checkValidity()), false);
  } finally {
    await browser.close();
    await s.close();
  }
});
