/**
 * Thumbnails end to end: an image picked in the real widget goes up with a preview the browser
 * drew (320 px, JPEG), the server stores it with the message, and the admin gallery's tile loads
 * the preview (not the 1,600 px image), while "full size" opens the image itself.
 */
import assert from "node:assert/strict";
import {
  js,
  launchBrowser,
  openAs,
  pickImage,
  setProfile,
  startHostPage,
  until,
} from "../support/browser.ts";
import { login, send, startServer, userKey } from "../support/helpers.ts";
import { keys } from "../../kv/keys.ts";
import { makePng } from "../support/image_fixtures.ts";

Deno.test("thumbnail: drawn by the widget, stored at upload, shown by the admin gallery", async () => {
  const server = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    await send(server.url, await login(server.url, "bob"), "alice", "send me a photo");
    const A = await openAs(browser, host, "alice");
    await js(A.page, `Parley.openDialog("bob")`);
    // The attach button comes with widget-extra.js, loaded once the dialog is open.
    await A.page.locator(".msg.them").waitFor();
    await pickImage(A.page, "photo.png", await makePng(2400, 1200, true));
    // The message as stored: the image downscaled to 1,600 px and a 320 px preview beside it.
    const kv = server.parley.deps.kv;
    const stored: string = await until(
      async () => {
        for await (const e of kv.list<{ attachment?: unknown }>({ prefix: ["adm_att"] })) {
          return e.key.at(-1) as string;
        }
        return "";
      },
      "the image message is stored",
      15_000,
    );
    const ref = (await kv.get<{ lo: string; hi: string }>(["adm_att", stored])).value!;
    const msg = (await kv.get<{ attachment: { id: string; width: number; thumb?: unknown } }>(
      keys.message([ref.lo, ref.hi], stored),
    )).value!;
    assert.equal(msg.attachment.width, 1600);
    assert.deepEqual(
      { ...(msg.attachment.thumb as Record<string, unknown>), size: 0 },
      { type: "image/jpeg", width: 320, height: 160, size: 0 },
    );

    // The admin gallery: the tile loads the preview; "full size" the image.
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${server.url}/admin?lang=en`);
    await page.fill('input[name="user_id"]', "admin");
    await page.fill('input[name="user_key"]', await userKey("admin"));
    await page.click('button[type="submit"]');
    await page.locator(".pa-dot.pa-on").waitFor({ timeout: 15_000 });
    await page.click('[data-tab="gallery"]');
    const tile = page.locator(".pa-tile img").first();
    await tile.waitFor();
    assert.match((await tile.getAttribute("src"))!, /size=thumb/);
    const natural = await until(
      () => tile.evaluate((i) => (i as HTMLImageElement).naturalWidth),
      "the tile's preview loads",
    );
    assert.equal(natural, 320);
    await page.locator(".pa-tile").first().getByRole("button", { name: "Open full size" }).click();
    const full = page.locator(".pa-full-img");
    assert.equal(
      await until(() => full.evaluate((i) => (i as HTMLImageElement).naturalWidth), "full size"),
      1600,
    );
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
