/**
 * A ban reaches the banned user's open widget at once (the composer gives way to the read-only
 * notice) and an unban brings the composer back, with no reload: the `ban` event on their stream.
 */
import { api, login, send, startServer } from "../support/helpers.ts";
import { js, launchBrowser, openAs, setProfile, startHostPage } from "../support/browser.ts";

Deno.test("ban and unban switch the user's open widget live, no reload", async () => {
  const server = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "bob", { name: "Bob Brown" });
    await setProfile(server, "carol", { name: "Carol King" });
    await send(server.url, await login(server.url, "carol"), "bob", "Hi Bob");
    const B = await openAs(browser, host, "bob", { lang: "en" });
    await js(B.page, 'Parley.openDialog("carol")');
    await B.page.locator("textarea").waitFor();
    const admin = await login(server.url, "admin");
    await api(server.url, "PUT", "/api/v1/admin/bans/bob", { token: admin, json: {} });
    await B.page.locator(".note.warn", { hasText: "turned off sending" }).waitFor();
    await B.page.locator("textarea").waitFor({ state: "detached" });
    await api(server.url, "DELETE", "/api/v1/admin/bans/bob", { token: admin });
    await B.page.locator("textarea").waitFor();
    await B.ctx.close();
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
