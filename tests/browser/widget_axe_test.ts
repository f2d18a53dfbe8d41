/**
 * axe-core, injected into the real page, finds no accessibility violation in the widget (it
 * reaches into the open shadow root) in every state the screenshots show: launcher, list,
 * dialog (grouped, with the unread line and an image), the image viewer, the dialog's and a
 * message's menus, the inline edit, the emoji picker, the "new messages" button, an empty
 * dialog, a refused send, report form, reply and quote, sending and not sent, an image not sent,
 * search, blocked, read-only, a user the host does not know and the failed start; in English and
 * Russian, light and dark, at 1280 px and 360 px.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Page } from "playwright-core";
import {
  gotoHost,
  js,
  launchBrowser,
  openAs,
  pickImage,
  setProfile,
  startHostPage,
  until,
} from "../support/browser.ts";
import { makePng } from "../support/image_fixtures.ts";
import { api, login, send, startHostSite, startServer } from "../support/helpers.ts";

/** Where `deno task screenshots` puts the pictures of the states (unset: none are taken). */
const screens = Deno.env.get("PARLEY_SCREENSHOTS")
  ? new URL("../../docs/screens/", import.meta.url).pathname
  : "";

/**
 * The picture of a state, for docs/screens/: every state in English, light, at 1280 px
 * (`<state>.png`); the list and the dialog also dark, at 360 px and in Russian.
 */
async function screenshot(page: Page, state: string, variant: string) {
  const main = variant === "en-light-1280";
  const also = ["en-dark-1280", "en-light-360", "ru-light-1280"].includes(variant) &&
    ["list", "dialog"].includes(state);
  if (!screens || !(main || also)) return;
  const name = state.replace(/[^a-z]+/g, "-") + (main ? "" : "-" + variant.replace("-1280", ""));
  await Deno.mkdir(screens, { recursive: true });
  // The panel (on a phone the whole screen); without it, the page's corner with the launcher.
  const path = `${screens}${name}.png`;
  const panel = page.locator("section.panel");
  const { width, height } = page.viewportSize()!;
  if (!(await panel.count())) {
    await page.screenshot({
      path,
      clip: { x: width - 280, y: height - 160, width: 280, height: 160 },
    });
  } else await (width > 400 ? panel : page).screenshot({ path });
}

/** Runs axe on the widget only (the host page's own markup is not ours); returns violations. */
async function violations(page: Page): Promise<string[]> {
  if (!(await js<boolean>(page, "!!window.axe"))) await page.addScriptTag({ content: axe.source });
  const found = await js<{ id: string; nodes: { target: string[] }[] }[]>(
    page,
    `axe.run({ include: [["parley-widget"]] }, { resultTypes: ["violations"] })
      .then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  );
  return found.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(" ")}`);
}

/**
 * widget-chat.js's states in the open dialog: a reply being written and a quote in a bubble, a
 * message waiting offline and one refused ("not sent"), the search with its results.
 */
async function chatStates(page: Page, check: (page: Page, state: string) => Promise<void>) {
  await page.locator(".msg.them").first().click({ button: "right" });
  await page.locator(".menu .reply").click();
  await page.locator(".replybar").waitFor();
  await check(page, "reply bar");
  await page.locator("textarea").fill("Yes, https://example.com/see");
  await page.keyboard.press("Enter");
  await page.locator(".msg.pending").waitFor({ state: "detached" });
  await page.locator(".msg.me .quote").last().waitFor();
  await check(page, "quote and link");
  await page.context().setOffline(true);
  await page.locator("textarea").fill("waiting");
  await page.keyboard.press("Enter");
  await page.locator(".msg.pending .clock").waitFor();
  await check(page, "sending");
  await page.route(
    "**/dialogs/*/messages",
    (r) =>
      r.request().method() === "POST"
        ? r.fulfill({ status: 403, json: { error: { code: "blocked", message: "no" } } })
        : r.continue(),
  );
  await page.context().setOffline(false);
  await page.locator(".msg.pending.failed").waitFor();
  await check(page, "not sent");
  await page.locator(".msg.pending.failed button").last().click();
  await page.locator(".msg.pending").waitFor({ state: "detached" });
  // An image lost on the way: "Image not sent" with Retry and Remove (then removed).
  await page.unroute("**/dialogs/*/messages");
  await page.route(
    "**/dialogs/*/messages",
    (r) => r.request().method() === "POST" ? r.abort() : r.continue(),
  );
  await pickImage(page, "lost.png", await makePng(40, 30));
  await page.locator(".upl[role=alert]").waitFor();
  await check(page, "image not sent");
  await page.locator(".upl .cancel").click();
  await page.locator(".upl").waitFor({ state: "detached" });
  await page.unroute("**/dialogs/*/messages");
  await page.locator(".top .find").click();
  await page.locator(".finder input").fill("Bob");
  await page.locator(".finder .hit").first().waitFor();
  await check(page, "search");
  await page.keyboard.press("Escape");
}

Deno.test("axe-core: no violations in any widget state, ru/en, light/dark, 1280/360 px", async (t) => {
  // The host site knows these users and nobody else ("ghost" is the unknown user's state).
  const people: Record<string, Record<string, string>> = {
    alice: { name: "Alice Adams" },
    bob: { name: "Bob Brown" },
    rita: { name: "Rita Reader", error: "Your account is read-only." },
    dora: { name: "Dora Doe" },
    mallory: { name: "mallory" },
    carol: { name: "Carol" },
  };
  for (const [id, p] of Object.entries(people)) Object.assign(p, { user_id: id, login: id });
  const site = startHostSite(people, {});
  const server = await startServer({ PARLEY_USERS_INFO_URL: site.infoUrl });
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    await setProfile(server, "rita", { name: "Rita Reader", error: "Your account is read-only." });
    await setProfile(server, "dora", { name: "Dora Doe" });
    const alice = await login(server.url, "alice");
    const bob = await login(server.url, "bob");
    // Enough history that the dialog scrolls (for the "new messages" button).
    for (let i = 1; i <= 12; i++) await send(server.url, alice, "bob", `Earlier message ${i}`);
    for (const text of ["Hi Bob!", "Are you coming tonight?", "https://example.com/a-link"]) {
      await send(server.url, alice, "bob", text);
    }
    const form = new FormData();
    form.set("image", new File([await makePng(320, 240, true)], "p.png", { type: "image/png" }));
    await api(server.url, "POST", "/api/v1/dialogs/bob/messages", { token: alice, body: form });
    await send(server.url, bob, "alice", "Yes, at eight.");
    await send(server.url, alice, "rita", "Hello Rita");
    await api(server.url, "PUT", "/api/v1/blocks/mallory", { token: bob });
    for (const lang of ["en", "ru"]) {
      // One page per user and language; each combination re-emulates scheme and width.
      const B = await openAs(browser, host, "bob", { lang });
      const R = await openAs(browser, host, "rita", { lang });
      const X = await B.ctx.newPage();
      await gotoHost(X, host, "carol", { lang, badKey: true });
      try {
        for (const colorScheme of ["light", "dark"] as const) {
          for (const width of [1280, 360]) {
            await t.step(`${lang}, ${colorScheme}, ${width} px`, async () => {
              const viewport = { width, height: width > 400 ? 800 : 740 };
              for (const page of [B.page, R.page, X]) {
                await page.emulateMedia({ colorScheme });
                await page.setViewportSize(viewport);
              }
              const seen: Record<string, string[]> = {};
              const check = async (page: Page, state: string) => {
                seen[state] = await violations(page);
                await screenshot(page, state, `${lang}-${colorScheme}-${width}`);
              };
              await js(B.page, "Parley.closeChat()");
              // Something unread, so the launcher shows its badge.
              await send(server.url, alice, "bob", `${lang}, ${colorScheme}, ${width} px`);
              await B.page.locator(".launcher .badge").waitFor();
              await check(B.page, "launcher");
              await js(B.page, "Parley.openDialog()");
              await B.page.locator(".row").first().waitFor();
              await B.page.locator(".tabs").waitFor();
              await check(B.page, "list");
              await js(B.page, `Parley.openDialog("alice")`);
              await B.page.locator(".msg.them").nth(2).waitFor();
              await B.page.locator(".log .new").waitFor();
              await B.page.locator(".thumb img").waitFor();
              await check(B.page, "dialog");
              await B.page.locator(".thumb").click();
              await B.page.locator(".lb img").waitFor();
              await check(B.page, "image viewer");
              await B.page.keyboard.press("Escape");
              await B.page.locator(".top .more").click();
              await B.page.locator(".top .menu").waitFor();
              await check(B.page, "dialog menu");
              await B.page.keyboard.press("Escape");
              await B.page.locator(".composer .emo").click();
              await B.page.locator(".emojis").waitFor();
              await check(B.page, "emoji picker");
              await B.page.keyboard.press("Escape");
              await B.page.locator(".msg.me .mact").first().click();
              await B.page.locator(".msg.me .menu .edit").click();
              await B.page.locator(".edit textarea").waitFor();
              await check(B.page, "edit");
              await B.page.keyboard.press("Escape");
              await B.page.locator("textarea[name=text]").fill("x".repeat(4100));
              await B.page.keyboard.press("Enter");
              await B.page.locator(".composer .err[role=alert]").waitFor();
              await check(B.page, "refused send");
              await B.page.locator("textarea[name=text]").fill("");
              await B.page.locator(".log").evaluate((el) => el.scrollTop = 0);
              await send(server.url, alice, "bob", "while scrolled up");
              await B.page.locator(".down").waitFor();
              await check(B.page, "new messages button");
              await B.page.locator(".msg.them .mact").first().click();
              await B.page.locator(".msg.them .menu").waitFor();
              await check(B.page, "message menu");
              await B.page.locator(".menu .report").click();
              await B.page.locator(".rform").waitFor();
              await check(B.page, "report form");
              await B.page.keyboard.press("Escape");
              await chatStates(B.page, check);
              await js(B.page, `Parley.openDialog("mallory")`);
              await B.page.locator(".note").waitFor();
              await check(B.page, "blocked");
              await js(B.page, `Parley.openDialog("dora")`);
              await B.page.locator(".hello").waitFor();
              await check(B.page, "empty dialog");
              // Someone the host site does not know: no composer, a note that says so.
              await js(B.page, `Parley.openDialog("ghost")`);
              await until(
                async () =>
                  (await B.page.locator(".hello").count()) === 0 &&
                  (await B.page.locator(".composer textarea").count()) === 0 &&
                  (await B.page.locator(".note").count()) === 1,
                "the unknown user's note",
              );
              await check(B.page, "unknown user");
              await js(R.page, `Parley.openDialog("alice")`);
              await R.page.locator(".note.warn").waitFor();
              await check(R.page, "read-only");
              await js(
                X,
                `document.querySelector("parley-widget").shadowRoot.querySelector(".close")?.click()`,
              );
              await X.locator(".launcher").waitFor();
              await check(X, "failed start");
              await X.locator(".launcher").click();
              await X.locator(".banner").waitFor();
              await check(X, "failed start, open");
              const bad = Object.entries(seen).filter(([, v]) => v.length);
              assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
            });
          }
        }
      } finally {
        await B.ctx.close();
        await R.ctx.close();
      }
    }
  } finally {
    await browser.close();
    await host.close();
    await server.close();
    await site.close();
  }
});
