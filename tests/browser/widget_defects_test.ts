/**
 * Defects 1–7 of issue 14, each as a real user hit them, in real Chromium against a real server:
 * hover erasing primary controls, writing to users the host does not know, lost drafts, read
 * receipts not redone after a failure, a report link under every message, the phone layout, and
 * focus. (Defects 8–14: widget_defects_more_test.ts.)
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
  until,
} from "../support/browser.ts";
import { api, login, send, startHostSite, startServer } from "../support/helpers.ts";

const bg = (page: Page, sel: string) =>
  page.locator(sel).first().evaluate((el) => getComputedStyle(el).backgroundColor);

/** The element focused inside the widget's shadow root (its class), or "outside". */
const focused = (page: Page) =>
  js<string>(
    page,
    `(() => { const h = document.querySelector("parley-widget");
      return document.activeElement === h ? h.shadowRoot.activeElement?.className ?? "" : "outside"; })()`,
  );

Deno.test("widget defects 1–7 in a real browser", async (t) => {
  const people = {
    alice: { user_id: "alice", name: "Alice Adams", login: "alice" },
    bob: { user_id: "bob", name: "Bob Brown", login: "bob" },
    carol: { user_id: "carol", name: "Carol Clark", login: "carol" },
  };
  // The host site answers the users-info callback: it knows these three and nobody else.
  const site = startHostSite(people, {});
  const server = await startServer({ PARLEY_USERS_INFO_URL: site.infoUrl });
  const host = startHostPage(server.url);
  const relay = startNetworkProxy(server.url);
  const browser = await launchBrowser();
  try {
    for (const p of Object.values(people)) await setProfile(server, p.user_id, p);
    const alice = await login(server.url, "alice");
    const carol = await login(server.url, "carol");
    await send(server.url, carol, "bob", "Hi from Carol");
    const B = await openAs(browser, host, "bob", { via: relay.url });

    await t.step(
      "1. hover darkens the launcher, the pressed mute and tabs; it never erases them",
      async () => {
        const blue = "rgb(34, 102, 187)";
        await B.page.locator(".launcher").hover();
        assert.equal(await bg(B.page, ".launcher"), blue);
        await js(B.page, `Parley.openDialog()`);
        await B.page.locator(".mute").click();
        await B.page.locator(".mute").hover();
        assert.equal(await bg(B.page, ".mute"), blue, "the pressed mute button kept its colour");
        await B.page.locator(".tabs .all").hover();
        assert.equal(await bg(B.page, ".tabs .all"), blue, "the selected tab kept its colour");
        await B.page.locator(".mute").click();
      },
    );

    await t.step(
      "2. a user the host does not know cannot be written to; no row remains",
      async () => {
        await js(B.page, `Parley.openDialog("999")`);
        await until(
          async () =>
            (await B.page.locator(".note").textContent()) === "This user is not on the site.",
          "the note",
        );
        assert.equal(await B.page.locator("textarea").count(), 0, "no composer");
        const r = await api(server.url, "POST", "/api/v1/dialogs/999/messages", {
          token: alice,
          json: { text: "hi" },
        });
        assert.equal(r.status, 404);
        await B.page.locator(".back").click();
        await B.page.locator(".row").first().waitFor();
        assert.deepEqual(await B.page.locator(".row .name").allTextContents(), ["Carol Clark"]);
      },
    );

    await t.step("3. a draft stays per dialog: Esc, another dialog, a reload", async () => {
      await js(B.page, `Parley.openDialog("alice")`);
      await B.page.locator("textarea").fill("half a thought");
      await B.page.keyboard.press("Escape");
      await B.page.locator("section.panel").waitFor({ state: "detached" });
      await js(B.page, `Parley.openDialog("alice")`);
      assert.equal(await B.page.locator("textarea").inputValue(), "half a thought");
      await js(B.page, `Parley.openDialog("carol")`);
      assert.equal(await B.page.locator("textarea").inputValue(), "");
      await js(B.page, `Parley.openDialog("alice")`);
      assert.equal(await B.page.locator("textarea").inputValue(), "half a thought");
      await B.page.reload();
      await B.page.waitForFunction(() => (globalThis as unknown as { __ready: boolean }).__ready);
      await js(B.page, `Parley.openDialog("alice")`);
      assert.equal(await B.page.locator("textarea").inputValue(), "half a thought");
      await B.page.locator("textarea").fill("");
    });

    await t.step("4. read receipts that failed are sent again after a reconnect", async () => {
      // Bob has the dialog open; his read calls fail while five messages arrive.
      await B.page.route("**/read", (route) => route.abort());
      for (let i = 1; i <= 5; i++) await send(server.url, alice, "bob", `news ${i}`);
      await until(async () => (await B.page.locator(".msg.them").count()) === 5, "five messages");
      await B.page.unroute("**/read");
      relay.down();
      relay.up();
      await until(async () => (await js(B.page, `Parley.countNewMessages("alice")`)) === 0, "read");
      const h = await api<{ messages: { read_at: string | null }[] }>(
        server.url,
        "GET",
        "/api/v1/dialogs/bob/messages",
        { token: alice },
      );
      assert.ok(h.body.messages.every((m) => m.read_at), "the sender sees two ticks");
    });

    await t.step(
      "5. message actions are in a menu: hover, right click, keyboard; one tab stop",
      async () => {
        for (let i = 0; i < 25; i++) await send(server.url, alice, "bob", `line ${i}`);
        await until(async () => (await B.page.locator(".msg.them").count()) === 30, "30 messages");
        assert.equal(await B.page.locator(".msg .report").count(), 0, "no link under each bubble");
        const stops = await js<number>(
          B.page,
          `[...document.querySelector("parley-widget").shadowRoot.querySelectorAll("*")]
          .filter((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length).length`,
        );
        // The panel's own controls (back, name, search, menu, close, log, attach, emoji, box,
        // send), never one per message.
        assert.ok(stops <= 12, `${stops} tab stops in a 30-message dialog`);
        // Keyboard: the log is one stop; arrows move between messages; Enter opens the menu.
        await B.page.locator(".log").focus();
        await B.page.keyboard.press("ArrowUp");
        assert.match(await focused(B.page), /msg them/);
        await B.page.keyboard.press("Enter");
        await B.page.locator(".msg.them .menu .report").waitFor();
        await B.page.keyboard.press("Escape");
        await B.page.locator(".menu").waitFor({ state: "detached" });
        // A right click (a long press on touch) opens it too.
        await B.page.locator(".msg.them").nth(3).click({ button: "right" });
        await B.page.locator(".msg.them").nth(3).locator(".menu .report").waitFor();
        await B.page.keyboard.press("Escape");
      },
    );

    await t.step(
      "6. phone: the page behind stays put, landscape is full screen, 44 px, 16 px",
      async () => {
        const M = await openAs(browser, host, "bob", {
          viewport: { width: 360, height: 740 },
          context: { hasTouch: true, isMobile: true },
        });
        try {
          await M.page.evaluate(() => document.body.style.height = "4000px");
          await js(M.page, `Parley.openDialog("alice")`);
          await until(async () => (await M.page.locator(".msg").count()) >= 30, "history");
          await M.page.locator(".log").hover();
          for (let i = 0; i < 5; i++) await M.page.mouse.wheel(0, 3000);
          await M.page.waitForTimeout(300);
          assert.equal(await js(M.page, "scrollY"), 0, "the page behind scrolled");
          const sizes = await M.page.locator(".top button").evaluateAll((els) =>
            els.map((el) =>
              Math.min(el.getBoundingClientRect().width, el.getBoundingClientRect().height)
            )
          );
          assert.ok(sizes.every((s) => s >= 44), `tap targets ${sizes}`);
          const font = await M.page.locator("textarea").evaluate((el) =>
            getComputedStyle(el).fontSize
          );
          assert.equal(font, "16px", "iOS zooms into inputs under 16 px");
          const top = await M.page.locator(".top").boundingBox();
          assert.ok(top!.height <= 64, `the header is ${top!.height} px tall`);
          await M.page.setViewportSize({ width: 740, height: 360 });
          // The sheet follows visualViewport's resize event, which arrives after the resize.
          const panel = () => M.page.locator("section.panel").boundingBox();
          await until(async () => (await panel())?.height === 360, "the sheet follows the viewport")
            .catch(() => {});
          assert.deepEqual(await panel(), {
            x: 0,
            y: 0,
            width: 740,
            height: 360,
          });
        } finally {
          await M.ctx.close();
        }
      },
    );

    await t.step(
      "7. focus: rings inside the rows, arrows in the list, kept in the sheet",
      async () => {
        const M = await openAs(browser, host, "bob", { viewport: { width: 360, height: 740 } });
        try {
          await js(M.page, `Parley.openDialog()`);
          await M.page.locator(".row").nth(1).waitFor();
          // The list's keys come with widget-extra.js (lazy): its tabs say it is there.
          await M.page.locator(".tabs").waitFor();
          await M.page.locator(".search").focus();
          await M.page.keyboard.press("ArrowDown");
          assert.match(await focused(M.page), /row/);
          const ring = await M.page.locator(".row").first().evaluate((el) => {
            const s = getComputedStyle(el);
            return [s.outlineStyle, parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth)];
          });
          assert.equal(ring[0], "solid");
          assert.ok((ring[1] as number) <= 0, "the ring is drawn inside the row, not clipped");
          await M.page.keyboard.press("ArrowDown");
          assert.equal(
            await M.page.locator(".row").nth(1).evaluate((el) => el.matches(":focus")),
            true,
          );
          for (let i = 0; i < 12; i++) {
            await M.page.keyboard.press(i % 3 ? "Tab" : "Shift+Tab");
            assert.notEqual(await focused(M.page), "outside", "focus left the full-screen sheet");
          }
        } finally {
          await M.ctx.close();
        }
      },
    );
  } finally {
    await browser.close();
    await relay.close();
    await host.close();
    await server.close();
    await site.close();
  }
});
