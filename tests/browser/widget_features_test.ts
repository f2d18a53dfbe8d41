/**
 * The widget's UI for the server features built alongside it: image upload, favourites, blocks,
 * reports, translation (against a small real LibreTranslate stand-in), typing.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  js,
  launchBrowser,
  openAs,
  setProfile,
  startHostPage,
  startNetworkProxy,
  tokenUrls,
  until,
} from "../support/browser.ts";
import { login, send, startServer, type TestServer } from "../support/helpers.ts";

/** A small real server speaking LibreTranslate's protocol (`POST /translate` → translatedText). */
function startFakeLibreTranslate() {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const url = new URL(req.url);
    if (req.method === "GET" && url.pathname.endsWith("/languages")) {
      const targets = ["en", "de", "ru"];
      return Response.json(targets.map((code) => ({ code, name: code, targets })));
    }
    const raw = await req.text();
    const p = (req.headers.get("content-type") ?? "").includes("json")
      ? JSON.parse(raw)
      : Object.fromEntries(new URLSearchParams(raw));
    return Response.json({ translatedText: `[${p.target}] ${p.q}` });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

/** Parley configured to translate through the fake LibreTranslate at `url`. */
const env = (url: string) => ({
  PARLEY_TRANSLATE_PROVIDER: "libretranslate",
  PARLEY_TRANSLATE_URL: url,
});

/** Picks an image through the composer's file input: a `w`×`h` PNG drawn in the page. */
async function pickImage(page: Page, w: number, h: number, noise = false) {
  await page.evaluate(
    async ([w, h, noise]) => {
      const c = document.createElement("canvas");
      c.width = w;
      c.height = h;
      const g = c.getContext("2d")!;
      if (noise) {
        const img = g.createImageData(c.width, c.height);
        for (let i = 0; i < img.data.length; i++) img.data[i] = Math.random() * 256;
        g.putImageData(img, 0, 0);
      } else {
        g.fillStyle = "#3a6";
        g.fillRect(0, 0, c.width, c.height);
        g.fillStyle = "#fff";
        g.fillRect(c.width / 4, c.height / 4, c.width / 2, c.height / 2);
      }
      const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), "image/png"));
      const dt = new DataTransfer();
      dt.items.add(new File([blob], "picture.png", { type: "image/png" }));
      const root = document.querySelector("parley-widget")!.shadowRoot!;
      const input = root.querySelector("input[type=file]") as HTMLInputElement;
      input.files = dt.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    },
    [w, h, noise] as const,
  );
}

Deno.test({
  name: "widget features in a real browser (image, favourite, block, report, translate, typing)",
  async fn(t) {
    const translator = startFakeLibreTranslate();
    const server: TestServer = await startServer(env(translator.url));
    const host = startHostPage(server.url);
    const relay = startNetworkProxy(server.url);
    const browser = await launchBrowser();
    try {
      await setProfile(server, "alice", { name: "Alice Adams" });
      await setProfile(server, "bob", { name: "Bob Brown" });
      const bobToken = await login(server.url, "bob");
      await send(server.url, bobToken, "alice", "Guten Morgen");
      // Alice's traffic goes through a relay that can make her uploads really slow.
      const A = await openAs(browser, host, "alice", { langs: ["en", "de"], via: relay.url });
      const B = await openAs(browser, host, "bob");
      await js(A.page, `Parley.openDialog("bob")`);
      await js(B.page, `Parley.openDialog("alice")`);
      await A.page.locator(".msg.them").waitFor();
      // Everything below comes from the lazily loaded widget-extra.js.
      assert.ok(
        await js(
          A.page,
          `performance.getEntriesByType("resource").some((e) => e.name.includes("/widget-extra.js"))`,
        ),
      );

      await t.step({
        name:
          "image: picked, downscaled to 1600 px, sent with progress, seen live, opens full size",
        fn: async () => {
          await pickImage(A.page, 2400, 1200);
          const thumb = B.page.locator(".msg.them .thumb img");
          await thumb.waitFor();
          assert.ok(Number(await thumb.getAttribute("width")) <= 220);
          await until(() => thumb.evaluate((i) => (i as HTMLImageElement).naturalWidth), "load");
          assert.equal(await thumb.evaluate((i) => (i as HTMLImageElement).naturalWidth), 1600);
          await B.page.locator(".msg.them .thumb").click();
          const full = B.page.locator(".lb img");
          await full.waitFor();
          assert.match((await full.getAttribute("src"))!, /\/api\/v1\/attachments\/.+\?ticket=/);
          // Images and the live stream went out with tickets; no URL ever held the token.
          for (const urls of [A.urls, B.urls]) {
            assert.ok(urls.some((u) => /\/api\/v1\/events\?ticket=/.test(u)));
            assert.ok(urls.some((u) => /\/api\/v1\/attachments\/.+\?ticket=/.test(u)));
            assert.deepEqual(tokenUrls(urls), []);
          }
          await B.page.keyboard.press("Escape");
          await full.waitFor({ state: "detached" });
          assert.equal(
            await B.page.locator("section.panel").count(),
            1,
            "Esc closed the image only",
          );
          await A.page.locator(".msg.me .thumb").waitFor();
        },
      });

      await t.step({
        name: "image: a slow upload shows progress and can be cancelled",
        fn: async () => {
          relay.throttleUploads(40 * 1024);
          const before = await A.page.locator(".msg").count();
          await pickImage(A.page, 600, 600, true);
          await A.page.locator(".upl progress").waitFor();
          await A.page.locator(".upl .cancel").click();
          await A.page.locator(".upl").waitFor({ state: "detached" });
          relay.throttleUploads(null);
          await A.page.waitForTimeout(300);
          assert.equal(await A.page.locator(".msg").count(), before);
          assert.equal(await A.page.locator(".composer .err").count(), 0, "cancel is no error");
        },
      });

      await t.step({
        name: "favourite and block through the menu; the favourites tab; blocked sends refused",
        fn: async () => {
          // The server's answer is held: the menu must close at once, not when it comes.
          let release!: () => void;
          const held = new Promise<void>((r) => release = r);
          await A.page.route("**/api/v1/favourites/**", async (route) => {
            await held;
            await route.continue();
          });
          await A.page.locator(".more").click();
          await A.page.locator(".menu .favourite").click();
          await A.page.locator(".menu .favourite").waitFor({ state: "detached" });
          const answered = A.page.waitForResponse("**/api/v1/favourites/**");
          release();
          await answered;
          await A.page.unroute("**/api/v1/favourites/**");
          await A.page.locator(".more").click();
          await until(
            async () =>
              (await A.page.locator(".menu .favourite").getAttribute("aria-checked")) === "true",
            "favourite",
          );
          await A.page.locator(".menu .blocked").click();
          await A.page.locator(".note .unblock").waitFor();
          assert.equal(await A.page.locator("textarea").count(), 0);
          // Bob writes to Alice, who blocked him: the server refuses, Bob is told kindly.
          await B.page.locator("textarea").fill("are you there?");
          await B.page.locator("textarea").press("Enter");
          await until(
            async () =>
              (await B.page.locator(".composer .err").textContent()) ===
                "This user does not accept your messages.",
            "Bob's refusal",
          );
          await A.page.locator(".back").click();
          await A.page.locator(".tabs .favourites").click();
          await until(
            async () =>
              (await A.page.locator(".row .name").allTextContents()).join() === "Bob Brown",
            "tab",
          );
          await A.page.locator(".tabs .blocked").click();
          await until(
            async () =>
              (await A.page.locator(".row .name").allTextContents()).join() === "Bob Brown",
            "tab",
          );
          await A.page.locator(".row").click();
          await A.page.locator(".note .unblock").click();
          await A.page.locator("textarea").waitFor();
        },
      });

      await t.step({
        name: "report a user with a reason; a second report is answered kindly, in the form",
        fn: async () => {
          const report = async () => {
            await A.page.locator(".more").click();
            await A.page.locator(".menu .report").click();
            await A.page.locator(".rform input[value=scam]").check();
            await A.page.locator(".rform textarea").fill("asked for my card number");
            await A.page.locator(".rform .primary").click();
          };
          await report();
          await until(
            async () =>
              (await A.page.locator(".banner").textContent()) === "Report sent. Thank you.",
            "the thanks",
          );
          await report();
          // The refusal is said in the form, which keeps what was typed.
          assert.equal(
            await A.page.locator(".rform .err").textContent(),
            "You have already reported this.",
          );
          assert.equal(
            await A.page.locator(".rform textarea").inputValue(),
            "asked for my card number",
          );
          await A.page.locator(".rform .link").click();
        },
      });

      await t.step({
        name: "translate a received message from the language menu",
        fn: async () => {
          await A.page.locator(".msg.them .mact").first().click();
          await A.page.locator(".acts .menu [lang=de]").click();
          await until(
            async () =>
              (await A.page.locator(".msg.them .tr").first().textContent()) === "[de] Guten Morgen",
            "translation",
          );
        },
      });

      await t.step({
        name: "typing… shows on the other side while the user types",
        fn: async () => {
          // Typing pings go out at most once per 3 s, and B's last one (refused while blocked, in
          // the step before) was moments ago: type a sentence at a person's pace, past that window.
          await B.page.locator("textarea").pressSequentially("hello again, Alice!", { delay: 200 });
          await until(
            async () => (await A.page.locator(".status").textContent()) === "typing…",
            "typing",
          );
        },
      });
    } finally {
      await browser.close();
      await relay.close();
      await host.close();
      await server.close();
      await translator.close();
    }
  },
});
