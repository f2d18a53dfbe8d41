/**
 * A sent message whose stored copy comes by the live stream before the POST's answer (a slow
 * answer, a busy server) shows once: the outbox's clock bubble steps aside for the stored copy
 * instead of standing next to it until the answer arrives. Real Chromium, real server; only
 * the answer is held back (the request itself reaches the server at once).
 */
import assert from "node:assert/strict";
import { js, launchBrowser, openAs, setProfile, startHostPage, until } from "../support/browser.ts";
import { login, send, startServer } from "../support/helpers.ts";

Deno.test("widget: a message the stream brings before its POST answers shows once", async () => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    await send(server.url, await login(server.url, "bob"), "alice", "Hello Alice");
    const A = await openAs(browser, host, "alice");
    await js(A.page, `Parley.openDialog("bob")`);
    await A.page.locator(".msg.them").waitFor();
    let released!: () => void;
    const held = new Promise<void>((r) => released = r);
    let answered = false;
    await A.page.route(/\/api\/v1\/dialogs\/bob\/messages$/, async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
      answered = true;
    });
    await A.page.locator("textarea").fill("Echo first");
    await A.page.keyboard.press("Enter");
    // The stored copy (with its tick) is on screen while the answer is still held back.
    await A.page.locator(".msg.me:not(.pending)", { hasText: "Echo first" }).waitFor();
    assert.equal(answered, false);
    const copies = () => A.page.locator(".msg.me .text", { hasText: "Echo first" }).count();
    await until(async () => (await copies()) === 1, "one copy while the answer is held");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await copies(), 1, "a second (pending) copy came back");
    released();
    await until(() => Promise.resolve(answered), "the answer");
    await until(async () => (await copies()) === 1, "one copy after the answer");
    assert.equal(await A.page.locator(".msg.pending").count(), 0);
    await A.ctx.close();
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
