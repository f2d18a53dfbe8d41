/**
 * axe-core, injected into the real page, finds no accessibility violation in the widget (it
 * reaches into the open shadow root) in every state the screenshots show: launcher, list,
 * dialog with images and the message menu, report form, reply and quote, sending and not sent,
 * search, blocked, read-only, unknown user and the failed start; in English and Russian, light and dark, at 1280 px and at 360 px.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Page } from "playwright-core";
import {
  gotoHost,
  js,
  launchBrowser,
  openAs,
  setProfile,
  startHostPage,
} from "../support/browser.ts";
import { api, login, send, startServer } from "../support/helpers.ts";

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
  await page.unroute("**/dialogs/*/messages");
  await page.locator(".top .find").click();
  await page.locator(".finder input").fill("Bob");
  await page.locator(".finder .hit").first().waitFor();
  await check(page, "search");
  await page.keyboard.press("Escape");
}

Deno.test("axe-core: no violations in any widget state, ru/en, light/dark, 1280/360 px", async (t) => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    await setProfile(server, "rita", { name: "Rita Reader", error: "Your account is read-only." });
    const alice = await login(server.url, "alice");
    for (const text of ["Hi Bob!", "Are you coming tonight?", "https://example.com/a-link"]) {
      await send(server.url, alice, "bob", text);
    }
    await send(server.url, alice, "rita", "Hello Rita");
    const bob = await login(server.url, "bob");
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
              await check(B.page, "dialog");
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
  }
});
