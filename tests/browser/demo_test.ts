/**
 * The README's promise, in a real browser: on the demo site two users in two windows chat live,
 * the site's header counter follows `Parley.on("unread")`, and the admin link opens the admin page.
 */
import assert from "node:assert/strict";
import { startDemo } from "../../examples/demo.ts";
import { launchBrowser, until } from "../support/browser.ts";

Deno.test("demo: two users in two windows chat live through the demo site", async () => {
  const kvPath = await Deno.makeTempFile({ suffix: ".sqlite" });
  const demo = await startDemo({ PARLEY_KV_PATH: kvPath }, { parleyPort: 0, hostPort: 0 });
  const browser = await launchBrowser();
  try {
    const signIn = async (name: string) => {
      const ctx = await browser.newContext({ viewport: { width: 1000, height: 760 } });
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(demo.hostUrl);
      await page.getByRole("link", { name: new RegExp(name) }).click();
      await page.waitForURL(/\/home$/);
      // success() ran: the header shows the count from countNewMessagesSum().
      await until(async () => (await page.locator("#unread").textContent()) === "0", "init");
      return page;
    };
    const lena = await signIn("Лена");
    const alice = await signIn("Alice Walker");

    await lena.locator('[data-chat="3"]').click();
    // A dialog opened by id with someone never written to shows their name, not "3".
    await until(
      async () => (await lena.locator("#pw-title").textContent()) === "Alice Walker",
      "name",
    );
    await lena.locator("textarea").fill("Привет, Alice! <b>не жирный</b>");
    await lena.locator("textarea").press("Enter");

    // Alice's site header follows the live unread count; she opens her messages and reads.
    await until(async () => (await alice.locator("#unread").textContent()) === "1", "header");
    await alice.locator("#open-chat").click();
    await alice.locator(".row", { hasText: "Лена" }).click();
    await until(
      async () =>
        (await alice.locator(".msg.them .text").allTextContents()).includes(
          "Привет, Alice! <b>не жирный</b>",
        ),
      "message as text",
    );
    await until(async () => (await alice.locator("#unread").textContent()) === "0", "read");
    // Lena sees two ticks live once Alice has read it.
    await lena.locator(".msg.me .ticks.read").waitFor();

    // The admin (Виктор) has an Admin link that signs straight in, with no key in it.
    const victor = await signIn("Виктор");
    const href = await victor.locator("#admin-link").getAttribute("href");
    assert.ok(href && !href.includes("user_key"), String(href));
    const [admin] = await Promise.all([
      victor.context().waitForEvent("page"),
      victor.locator("#admin-link").click(),
    ]);
    await admin.waitForLoadState();
    await until(async () => (await admin.title()).startsWith("Parley — "), "admin page signed in");
    assert.equal(new URL(admin.url()).searchParams.get("user_key"), null, "key left the URL");
    // Signed in as an admin: once the monitor says it is live, a new message shows up there at
    // once (a message sent before its stream connected is not live news).
    await admin.locator(".pa-dot.pa-on").waitFor();
    await alice.locator("textarea").fill("Alice answers");
    await alice.locator("textarea").press("Enter");
    await until(
      async () => (await admin.locator("body").textContent())?.includes("Alice answers"),
      "admin monitor shows the new message",
    );
  } finally {
    await browser.close();
    await demo.close();
    await Deno.remove(kvPath).catch(() => {});
  }
});
