/**
 * An image whose upload fails on the way (no network, a lost answer, a 5xx) is not thrown away:
 * the composer says "Image not sent" with Retry and Remove, the network's return sends it by
 * itself, so does the page after a reload (it waits in IndexedDB), and the same client_id on every try stores it once. Real Chromium, real server.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  js,
  launchBrowser,
  openAs,
  pickImage,
  setProfile,
  startHostPage,
  until,
} from "../support/browser.ts";
import { makePng } from "../support/image_fixtures.ts";
import { api, login, startServer } from "../support/helpers.ts";

/** Picks a small PNG in the composer. */
const pick = async (page: Page, name: string) => pickImage(page, name, await makePng(64, 48));

Deno.test("widget: an image that failed on the way waits, is sent again, stored once", async (t) => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    const alice = await login(server.url, "alice");
    const images = async () => {
      const r = await api<{ messages: { attachment?: unknown }[] }>(
        server.url,
        "GET",
        "/api/v1/dialogs/bob/messages",
        { token: alice },
      );
      return r.body.messages.filter((m) => m.attachment).length;
    };
    const A = await openAs(browser, host, "alice");
    await js(A.page, `Parley.openDialog("bob")`);
    const bar = A.page.locator(".upl[role=alert]");

    await t.step("a lost answer: 'Image not sent' with Retry; Retry stores it once", async () => {
      let posts = 0;
      await A.page.route("**/dialogs/bob/messages", async (r) => {
        if (r.request().method() !== "POST" || posts++) return r.continue();
        await r.fetch(); // the server stores it…
        await r.abort(); // …and the answer never arrives
      });
      await pick(A.page, "lost.png");
      await bar.waitFor();
      assert.match((await bar.textContent())!, /^Image not sent\. /);
      assert.equal(await images(), 1);
      await bar.locator(".retry").click();
      await bar.waitFor({ state: "detached" });
      await until(async () => (await A.page.locator(".msg.me .thumb").count()) === 1, "one bubble");
      // (The stored copy may come on the live stream before the second answer.)
      await until(() => Promise.resolve(posts === 2), "sent again");
      await A.page.waitForTimeout(300);
      assert.equal(await A.page.locator(".msg.me .thumb").count(), 1);
      assert.equal(await images(), 1, "the same client_id: stored once");
      await A.page.unroute("**/dialogs/bob/messages");
    });

    await t.step(
      "offline: the image waits and goes by itself when the network is back",
      async () => {
        await A.ctx.setOffline(true);
        await pick(A.page, "offline.png");
        await bar.waitFor();
        assert.equal(await images(), 1);
        await A.ctx.setOffline(false);
        await bar.waitFor({ state: "detached" });
        await until(async () => (await images()) === 2, "sent when back online");
        await until(async () => (await A.page.locator(".msg.me .thumb").count()) === 2, "shown");
      },
    );

    await t.step("a 5xx: Remove drops it; nothing is sent", async () => {
      await A.page.route(
        "**/dialogs/bob/messages",
        (r) =>
          r.request().method() === "POST"
            ? r.fulfill({
              status: 503,
              headers: { "access-control-allow-origin": "*" },
              json: { error: { code: "unavailable", message: "down" } },
            })
            : r.continue(),
      );
      await pick(A.page, "down.png");
      await bar.waitFor();
      await bar.locator(".cancel").click();
      await bar.waitFor({ state: "detached" });
      await A.page.unroute("**/dialogs/bob/messages");
      await A.ctx.setOffline(true);
      await A.ctx.setOffline(false);
      await A.page.waitForTimeout(500);
      assert.equal(await images(), 2);
      assert.equal(await A.page.locator(".msg.me .thumb").count(), 2);
    });
    await t.step("a reload: the waiting image is still there and is sent (once)", async () => {
      await A.page.route(
        "**/dialogs/bob/messages",
        (r) => r.request().method() === "POST" ? r.abort() : r.continue(),
      );
      await pick(A.page, "reload.png");
      await bar.waitFor();
      await A.page.unroute("**/dialogs/bob/messages");
      assert.equal(await images(), 2);
      await A.page.reload();
      await until(async () => (await images()) === 3, "sent after the reload");
      // Forgotten once stored: another reload sends nothing more.
      await A.page.reload();
      await js(A.page, `Parley.openDialog("bob")`);
      await until(async () => (await A.page.locator(".msg.me .thumb").count()) === 3, "shown");
      await A.page.waitForTimeout(1000);
      assert.equal(await images(), 3);
      assert.equal(await bar.count(), 0);
    });
    await A.ctx.close();
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
