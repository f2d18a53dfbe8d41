/**
 * Widget screens that need a fresh user each: the 360 px phone layout, history paging, openDialog
 * queued before init (Russian UI, system messages), and the host's read-only banner. Real
 * Chromium, real server, one browser launch for the file.
 */
import assert from "node:assert/strict";
import { sendMessage } from "../../kv/messaging/messages.ts";
import {
  gotoHost,
  js,
  launchBrowser,
  openAs,
  setProfile,
  startHostPage,
  until,
} from "../support/browser.ts";
import { api, login, send, startServer } from "../support/helpers.ts";
import { makePng } from "../support/image_fixtures.ts";

/** `deno task screenshots` writes the 360 px screenshot to docs/. */
const docs = Deno.env.get("PARLEY_SCREENSHOTS")
  ? new URL("../../docs/", import.meta.url).pathname
  : "";
const shot = (target: { screenshot(o: object): Promise<unknown> }, name: string) =>
  docs ? target.screenshot({ path: docs + name }) : Promise.resolve();

const texts = (page: import("playwright-core").Page, sel: string) =>
  page.locator(sel).allTextContents();

Deno.test("widget screens in a real browser", async (t) => {
  const server = await startServer();
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    const aliceToken = await login(server.url, "alice");

    await t.step("360 px wide: a full-screen panel with no horizontal scroll", async () => {
      const M = await openAs(browser, host, "bob", { viewport: { width: 360, height: 740 } });
      try {
        for (const text of ["Hi Bob!", "Are you coming tonight?", "Bring the photos"]) {
          await send(server.url, aliceToken, "bob", text);
        }
        await send(server.url, aliceToken, "bob", "x".repeat(400));
        await send(server.url, aliceToken, "bob", "https://example.com/" + "long/".repeat(60));
        await js(M.page, `Parley.openDialog("alice")`);
        await until(async () => (await M.page.locator(".msg").count()) === 5, "history");
        const box = await M.page.locator("section.panel").boundingBox();
        assert.deepEqual(box, { x: 0, y: 0, width: 360, height: 740 });
        const overflow = await js<number[]>(
          M.page,
          `(() => { const r = document.querySelector("parley-widget").shadowRoot;
          const log = r.querySelector(".log"); const d = document.documentElement;
          return [d.scrollWidth - d.clientWidth, log.scrollWidth - log.clientWidth,
            Math.max(...[...r.querySelectorAll(".msg")].map((m) => m.getBoundingClientRect().right)) - 360]; })()`,
        );
        assert.ok(overflow.every((n) => n <= 0), `horizontal overflow ${overflow}`);
      } finally {
        await M.ctx.close();
      }
    });

    await t.step("history pages backwards on scroll, kept in place, nothing twice", async () => {
      const quinn = await login(server.url, "quinn");
      for (let i = 1; i <= 75; i++) await send(server.url, quinn, "pat", `m${i}`);
      const P = await openAs(browser, host, "pat");
      try {
        await js(P.page, `Parley.openDialog("quinn")`);
        await until(async () => (await P.page.locator(".msg").count()) === 30, "first page");
        const log = P.page.locator(".log");
        const atBottom = await log.evaluate((el) =>
          el.scrollHeight - el.scrollTop - el.clientHeight < 2
        );
        assert.equal(atBottom, true, "a dialog opens at its newest message");
        for (const n of [60, 75]) {
          const id = await P.page.locator(".msg").first().getAttribute("data-id");
          await log.evaluate((el) => el.scrollTop = 0);
          await until(async () => (await P.page.locator(".msg").count()) === n, `${n} loaded`);
          // The message that was on top stays in view: older ones go above it, out of sight.
          const [top, height] = await P.page.locator(`.msg[data-id="${id}"]`).evaluate((el) => [
            el.getBoundingClientRect().top - el.parentElement!.getBoundingClientRect().top,
            el.parentElement!.clientHeight,
          ]);
          assert.ok(top >= 0 && top < height / 2, `the view jumped: message at ${top}px`);
        }
        const all = await texts(P.page, ".msg .text");
        assert.deepEqual(all, Array.from({ length: 75 }, (_, i) => `m${i + 1}`));
        assert.equal(await P.page.locator(".day").count(), 1);
      } finally {
        await P.ctx.close();
      }
    });

    await t.step(
      "openDialog before init is queued; Russian UI; system messages get no composer",
      async () => {
        const { kv } = server.parley.deps;
        await sendMessage(kv, {
          from: "system",
          to: "carol",
          text: "Welcome, Carol",
          kind: "system",
        });
        const C = await openAs(browser, host, "carol", { lang: "ru", early: "alice" });
        try {
          await C.page.locator("section.panel textarea").waitFor();
          assert.equal(await C.page.locator("textarea").getAttribute("placeholder"), "Сообщение…");
          // No dialog yet: the first history page still brings the peer's name.
          await until(
            async () => (await C.page.locator("h2").textContent()) === "Alice Adams",
            "name",
          );
          assert.equal(await js(C.page, `Parley.countNewMessages("system")`), 1);
          await js(C.page, `Parley.openDialog("system")`);
          await C.page.locator(".msg.sys").waitFor();
          assert.equal(await C.page.locator(".msg.sys .text").textContent(), "Welcome, Carol");
          assert.equal(await C.page.locator("textarea").count(), 0);
          assert.equal(
            await C.page.locator(".note").textContent(),
            "На системные сообщения нельзя ответить.",
          );
          await js(C.page, "Parley.closeChat()");
          await C.page.locator("section.panel").waitFor({ state: "detached" });
          assert.equal(await js(C.page, "__closed"), 1);
        } finally {
          await C.ctx.close();
        }
      },
    );

    await t.step("the host's read-only text replaces the composer, as text", async () => {
      const paywall = "Upgrade to <b>Premium</b> to write";
      await setProfile(server, "dave", { error: paywall });
      const D = await openAs(browser, host, "dave");
      try {
        await js(D.page, `Parley.openDialog("alice")`);
        await D.page.locator(".note.warn").waitFor();
        assert.equal(await D.page.locator(".note.warn").textContent(), paywall);
        assert.equal(await D.page.locator("textarea").count(), 0);
        // A user who becomes read-only after signing in: the refused send shows the host's text.
        await setProfile(server, "dave", { error: "" });
        await gotoHost(D.page, host, "dave", {});
        await js(D.page, `Parley.openDialog("alice")`);
        await setProfile(server, "dave", { error: "Your account is paused" });
        await D.page.locator("textarea").fill("hi");
        await D.page.locator("textarea").press("Enter");
        await D.page.locator(".note.warn").waitFor();
        assert.equal(await D.page.locator(".note.warn").textContent(), "Your account is paused");
      } finally {
        await D.ctx.close();
      }
    });

    await t.step(
      "a conversation as README shows it: the name in full, nothing overflows, 1280 and 360 px",
      async () => {
        await setProfile(server, "emma", { name: "Emma Wilson" });
        await setProfile(server, "noah", { name: "Noah Carter" });
        const emma = await login(server.url, "emma");
        const noah = await login(server.url, "noah");
        const post = (token: string, to: string, json: Record<string, unknown>) =>
          api<{ message: { id: string } }>(server.url, "POST", `/api/v1/dialogs/${to}/messages`, {
            token,
            json,
          });
        await send(server.url, emma, "noah", "Hi Noah! Are we still on for Saturday?");
        await send(server.url, noah, "emma", "Yes! Where shall we meet?");
        await send(server.url, emma, "noah", "The café by the river, the one I told you about:");
        const link = await post(emma, "noah", { text: "https://example.com/cafe-aurora" });
        // A sunset: blue sky to orange at the horizon, a dark shore.
        const mix = (a: number, b: number, k: number) => Math.round(a + (b - a) * k);
        const photo = await makePng(480, 320, (_x, y) => {
          const k = Math.min(1, y / 250);
          return y > 250 ? [36, 44, 60] : [mix(70, 250, k), mix(130, 170, k), mix(200, 90, k)];
        });
        const form = new FormData();
        form.set("image", new File([photo], "river.png", { type: "image/png" }));
        form.set("text", "The view from the terrace");
        await api(server.url, "POST", "/api/v1/dialogs/noah/messages", { token: emma, body: form });
        await post(noah, "emma", {
          text: "Looks great! I booked a table for 7.",
          reply_to: link.body.message.id,
        });
        await send(server.url, noah, "emma", "See you there!");
        for (
          const [width, height, name] of [[1280, 800, "widget-dialog.png"], [
            360,
            740,
            "widget-mobile.png",
          ]] as const
        ) {
          const N = await openAs(browser, host, "noah", { viewport: { width, height } });
          try {
            await js(N.page, `Parley.openDialog("emma")`);
            await N.page.locator(".msg .quote").waitFor();
            await N.page.locator(".thumb img").waitFor();
            await until(
              () => N.page.locator(".thumb img").evaluate((i) => (i as HTMLImageElement).complete),
              "the photo",
            );
            const [shown, needed] = await N.page.locator(".top h2").evaluate((
              h,
            ) => [h.clientWidth, h.scrollWidth]);
            assert.ok(shown >= needed, `the name is cut: ${shown} of ${needed} px`);
            const over = await js<number>(
              N.page,
              `(() => { const r = document.querySelector("parley-widget").shadowRoot;
              const log = r.querySelector(".log"); return log.scrollWidth - log.clientWidth; })()`,
            );
            assert.ok(over <= 0, `the history scrolls sideways by ${over} px`);
            // The newest at the bottom, as after reading (it opened at the unread line).
            await N.page.locator(".log").evaluate((el) => el.scrollTop = el.scrollHeight);
            await shot(width > 400 ? N.page.locator("section.panel") : N.page, name);
          } finally {
            await N.ctx.close();
          }
        }
      },
    );
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
