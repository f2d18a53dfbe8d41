/**
 * Issue 14's look in real Chromium against a real server: the inline SVG icon set, messages
 * grouped by sender and time, the invitation of an empty dialog, the "New messages" line at the
 * first unread message, and the "new messages" button for arrivals while the user reads above.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { js, launchBrowser, openAs, setProfile, startHostPage, until } from "../support/browser.ts";
import { api, login, send, startHostSite, startServer } from "../support/helpers.ts";

/** The widget's shadow root, evaluated in the page. */
const inWidget = <T>(page: Page, fn: string) =>
  js<T>(page, `(() => { const r = document.querySelector("parley-widget").shadowRoot; ${fn} })()`);

Deno.test("widget look in a real browser", async (t) => {
  // The host site knows these four and nobody else (for the unknown user's empty dialog).
  const site = startHostSite(
    Object.fromEntries(["alice", "bob", "carol", "dora"].map((id) => [id, { user_id: id }])),
    {},
  );
  const server = await startServer({
    PARLEY_RATE_MESSAGES: "off",
    PARLEY_USERS_INFO_URL: site.infoUrl,
  });
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    for (
      const [uid, name] of [["alice", "Alice Adams"], ["bob", "Bob Brown"], ["carol", "Carol"], [
        "dora",
        "Dora",
      ]]
    ) {
      await setProfile(server, uid, { name });
    }
    const alice = await login(server.url, "alice");
    const bob = await login(server.url, "bob");
    await send(server.url, alice, "carol", "so carol has a profile in the list");
    const A = await openAs(browser, host, "alice", { viewport: { width: 1280, height: 800 } });
    await A.page.locator(".launcher .ic").waitFor();

    await t.step("the buttons show the SVG icon set, not glyphs", async () => {
      await js(A.page, `Parley.openDialog("carol")`);
      await A.page.locator(".composer .attach svg.ic").waitFor();
      await A.page.locator(".msg .mact").waitFor({ state: "attached" });
      // Back, menu, mute, close, attach, send: each an inline SVG with a label, no text glyph
      // (♪ ← ⋮ × + ➤).
      const icons = await inWidget<{ text: string; svg: number; label: string }[]>(
        A.page,
        `return [...r.querySelectorAll(".icon, .mact")].map((b) => ({ text: b.textContent.trim(),
          svg: b.querySelectorAll("svg.ic path").length,
          label: b.getAttribute("aria-label") || b.title }));`,
      );
      assert.ok(icons.length >= 7, JSON.stringify(icons));
      for (const i of icons) {
        assert.equal(i.text, "", `a glyph in ${i.label}`);
        assert.equal(i.svg, 1, `no icon in ${i.label}`);
        assert.ok(i.label);
      }
      // The mute button (in the list's bar) has an icon that says its state.
      await A.page.locator(".top .back").click();
      const d = () =>
        inWidget<string>(A.page, `return r.querySelector(".mute path").getAttribute("d")`);
      const on = await d();
      await A.page.locator(".mute").click();
      await until(async () => (await d()) !== on, "the muted icon");
      await A.page.locator(".mute").click();
    });

    await t.step("an empty dialog invites a first message", async () => {
      await js(A.page, `Parley.openDialog("bob")`);
      const hello = A.page.locator(".log .hello");
      await hello.waitFor();
      assert.equal(await hello.textContent(), "No messages yet. Say hello to Bob Brown!");
    });

    await t.step(
      "a dialog's top bar leaves the name its room (1280 and 360 px); sound is in its menu",
      async () => {
        // Five icons beside it cut "Bob Brown" to "B…" in the 370 px panel and to nothing at 360.
        const fits = () =>
          inWidget<number[]>(
            A.page,
            `const h = r.querySelector(".top h2"); return [h.clientWidth, h.scrollWidth];`,
          );
        for (const width of [1280, 360]) {
          await A.page.setViewportSize({ width, height: 740 });
          await until(async () => {
            const [shown, needed] = await fits();
            return shown >= 100 && shown >= needed;
          }, `the whole name at ${width} px: ${await fits()}`);
        }
        assert.equal(await A.page.locator(".top .mute, .top .bell").count(), 0);
        const muted = () => js<string | null>(A.page, `localStorage.getItem("parley:muted")`);
        assert.notEqual(await muted(), "1");
        await A.page.locator(".top .more").click();
        const sound = A.page.locator(".menu .sound");
        assert.equal(await sound.getAttribute("aria-checked"), "true");
        await sound.click();
        assert.equal(await muted(), "1");
        await A.page.locator(".top .more").click();
        assert.equal(await sound.getAttribute("aria-checked"), "false");
        await sound.click();
        assert.equal(await muted(), "0");
        await A.page.setViewportSize({ width: 1280, height: 800 });
      },
    );

    await t.step(
      "an empty dialog with someone blocked or unknown does not invite a hello",
      async () => {
        await api(server.url, "PUT", "/api/v1/blocks/dora", { token: alice });
        await js(A.page, `Parley.openDialog("dora")`);
        await A.page.locator(".note").waitFor();
        await A.page.locator(".log .empty").waitFor();
        assert.equal(await A.page.locator(".log .hello").count(), 0);
        assert.equal(await A.page.locator(".log .empty").textContent(), "No messages yet.");
        await api(server.url, "DELETE", "/api/v1/blocks/dora", { token: alice });
        // Nor someone the host site does not know.
        await js(A.page, `Parley.openDialog("ghost")`);
        await A.page.locator(".composer, .note", { hasText: "This user is not on the site." })
          .waitFor();
        await A.page.locator(".log .empty").waitFor();
        assert.equal(await A.page.locator(".log .hello").count(), 0);
        await js(A.page, `Parley.openDialog("bob")`);
        await A.page.locator(".log .hello").waitFor();
      },
    );

    await t.step("messages of one sender within minutes share one group", async () => {
      for (const text of ["one", "two", "three"]) await send(server.url, bob, "alice", text);
      await until(async () => (await A.page.locator(".msg.them").count()) === 3, "bob's three");
      await A.page.locator("textarea").fill("reply");
      await A.page.keyboard.press("Enter");
      await A.page.locator(".msg.me:not(.pending)").waitFor();
      await A.page.locator(".msg.pending").waitFor({ state: "detached" });
      assert.equal(await A.page.locator(".log .hello").count(), 0, "the invitation stays");
      const groups = await inWidget<string[]>(
        A.page,
        `return [...r.querySelectorAll(".msg")].map((m) => m.className);`,
      );
      assert.deepEqual(groups, [
        "msg them",
        "msg them cont",
        "msg them cont",
        "msg me",
      ]);
      // Inside a group the gap is small, and only the group's last bubble has the tail corner.
      const look = await inWidget<{ gap: number; radii: string[] }>(
        A.page,
        `const m = [...r.querySelectorAll(".msg.them")];
        return { gap: m[1].getBoundingClientRect().top - m[0].getBoundingClientRect().bottom,
          radii: m.map((e) => getComputedStyle(e).borderBottomLeftRadius) };`,
      );
      assert.ok(look.gap <= 2, `gap ${look.gap}`);
      assert.deepEqual(look.radii, ["16px", "16px", "4px"]);
    });

    await t.step("a 'New messages' line marks the first unread, scrolled into view", async () => {
      await js(A.page, `Parley.closeChat()`);
      const read = [];
      for (let i = 1; i <= 5; i++) read.push(await send(server.url, bob, "alice", `old ${i}`));
      const r = await api(server.url, "POST", "/api/v1/dialogs/bob/read", {
        token: alice,
        json: { up_to: read.at(-1)!.id },
      });
      assert.equal(r.status, 200);
      for (let i = 1; i <= 25; i++) await send(server.url, bob, "alice", `new ${i}`);
      await until(
        async () => (await js<number>(A.page, `Parley.countNewMessages("bob")`)) === 25,
        "25 unread",
      );
      await js(A.page, `Parley.openDialog("bob")`);
      const line = A.page.locator(".log .new");
      await line.waitFor();
      assert.equal(await line.textContent(), "New messages");
      const at = await inWidget<{ next: string; top: number; logTop: number; hidden: number }>(
        A.page,
        `const log = r.querySelector(".log"), l = r.querySelector(".new");
        return { next: l.nextElementSibling.querySelector(".text").textContent,
          top: l.getBoundingClientRect().top, logTop: log.getBoundingClientRect().top,
          hidden: log.scrollHeight - log.scrollTop - log.clientHeight };`,
      );
      assert.equal(at.next, "new 1");
      // 25 do not fit: the line is at the top of the history, the newest below the fold.
      assert.ok(at.top >= at.logTop && at.top < at.logTop + 40, JSON.stringify(at));
      assert.ok(at.hidden > 100, JSON.stringify(at));
    });

    await t.step(
      "arrivals while reading above are counted on a button that scrolls down",
      async () => {
        assert.equal(await A.page.locator(".down").count(), 0);
        await send(server.url, bob, "alice", "arrived 1");
        await send(server.url, bob, "alice", "arrived 2");
        const down = A.page.locator(".down");
        await until(
          async () => (await down.count()) && (await down.textContent()) === "New messages: 2",
          "the button",
        );
        await down.click();
        await until(
          () =>
            inWidget<boolean>(
              A.page,
              `const l = r.querySelector(".log"); return l.scrollHeight - l.scrollTop - l.clientHeight < 2;`,
            ),
          "scrolled to the newest",
        );
        await until(async () => (await down.count()) === 0, "the button gone");
        // At the bottom, a new message just shows (no button).
        await send(server.url, bob, "alice", "arrived 3");
        await A.page.locator(".msg.them .text", { hasText: "arrived 3" }).waitFor();
        assert.equal(await down.count(), 0);
      },
    );
    await A.ctx.close();
  } finally {
    await browser.close();
    await host.close();
    await server.close();
    await site.close();
  }
});
