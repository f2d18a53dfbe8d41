/**
 * The admin page's session in headless Chromium: signed in across tabs and reloads with no key in
 * any URL, the host's one-time link, sign-out in one tab signing out the others, and the message
 * an ended session leaves.
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import type { Session } from "../../kv/types.ts";
import { userKey } from "../support/helpers.ts";
import { launchBrowser } from "../support/browser.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

Deno.test("admin session: new tabs and reloads stay signed in, no key in any URL; one sign-out ends every tab; an ended session says so", async () => {
  const s = await startManaged({ PARLEY_ADMIN_IDS: "admin" });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const urls: string[] = [];
    context.on("request", (r) => urls.push(r.url()));
    const tab1 = await context.newPage();
    await tab1.goto(`${s.url}/admin?lang=en`);
    await tab1.fill('input[name="user_id"]', "admin");
    await tab1.fill('input[name="user_key"]', await userKey("admin"));
    await tab1.click('button[type="submit"]');
    await tab1.locator(".pa-dot.pa-on").waitFor({ timeout: 15_000 });
    // A link opened in a new tab (Ctrl-click) lands signed in, on its view.
    const tab2 = await context.newPage();
    await tab2.goto(`${s.url}/admin?lang=en#/audit`);
    await tab2.locator('[data-tab="audit"][aria-current="page"]').waitFor();
    await tab1.reload();
    await tab1.locator(".pa-dot.pa-on").waitFor();
    const key = await userKey("admin");
    assert.ok(urls.every((u) => !u.includes(key) && !u.includes("token=")), urls.join("\n"));
    // The session is not readable by the page's scripts.
    assert.equal(await tab1.evaluate(() => document.cookie), "");

    // One sign-out: the other tab drops to the sign-in form and its session is gone too.
    await tab1.click("button.pa-link");
    await tab1.locator(".pa-notice", { hasText: "every tab" }).waitFor();
    await tab2.locator('input[name="user_id"]').waitFor();
    const status = await tab2.evaluate(async () =>
      (await fetch("api/v1/admin/stats", { credentials: "same-origin" })).status
    );
    assert.equal(status, 401);

    // The host's one-time link signs in; the code leaves the address bar; it works only once.
    const minted = await manage<{ path: string }>(s.url, "POST", "/users/admin/admin-signin");
    await tab1.goto(`${s.url}${minted.body.path}`);
    await tab1.locator(".pa-dot.pa-on").waitFor();
    assert.ok(!tab1.url().includes("signin="), tab1.url());
    const fresh = await browser.newPage();
    await fresh.goto(`${s.url}/admin?lang=en${minted.body.path.slice("/admin".length)}`);
    await fresh.locator(".pa-error", { hasText: "link has expired" }).waitFor();
    await fresh.close();

    // The session expires while the page is open: the next call shows why the form is back.
    const kv = s.parley.deps.kv;
    for await (const e of kv.list<null>({ prefix: keys.userSessions("admin") })) {
      const token = e.key[2] as string;
      const entry = await kv.get<Session>(keys.session(token));
      if (entry.value) await kv.set(entry.key, { ...entry.value, expires_at: Date.now() - 1 });
    }
    await tab1.reload();
    await tab1.locator(".pa-notice", { hasText: "session has ended" }).waitFor();
    await context.close();
  } finally {
    await browser.close();
    await s.close();
  }
});
