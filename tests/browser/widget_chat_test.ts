/**
 * widget-chat.js in real Chromium: replies (quote, jump to the original), safe links under the
 * server's link filter, the outbox (clock → ✓ → ✓✓, offline, a reload, a lost answer sent again
 * and stored once, a refusal shown with Retry), search in a dialog (ё = е, into older history),
 * and an image with a caption.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
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

type Msg = { id: string; text: string; reply_to?: { id: string } };

/** The element focused inside the widget's shadow root: its data-id. */
const focusedId = (page: Page) =>
  js<string | undefined>(
    page,
    `document.querySelector("parley-widget").shadowRoot.activeElement?.dataset.id`,
  );

/** Picks a small PNG through the composer's file input. */
function pickImage(page: Page) {
  return page.evaluate(async () => {
    const c = document.createElement("canvas");
    c.width = 40;
    c.height = 30;
    c.getContext("2d")!.fillRect(0, 0, 20, 20);
    const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), "image/png"));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], "view.png", { type: "image/png" }));
    const input = document.querySelector("parley-widget")!.shadowRoot!
      .querySelector("input[type=file]") as HTMLInputElement;
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

Deno.test("widget-chat.js: replies, links, the outbox, search and captions in a real browser", async (t) => {
  const server = await startServer({
    PARLEY_MASK_LINKS: "1",
    PARLEY_LINK_ALLOW_HOSTS: "example.org",
  });
  const host = startHostPage(server.url);
  const browser = await launchBrowser();
  try {
    await setProfile(server, "alice", { name: "Alice Adams" });
    await setProfile(server, "bob", { name: "Bob Brown" });
    const [alice, bob] = [await login(server.url, "alice"), await login(server.url, "bob")];
    const first = await send(server.url, bob, "alice", "Купили Ёлку! the very first message");
    for (let i = 1; i <= 70; i++) await send(server.url, bob, "alice", `filler ${i}`);
    const A = await openAs(browser, host, "alice");
    const B = await openAs(browser, host, "bob");
    await js(A.page, `Parley.openDialog("bob")`);
    await js(B.page, `Parley.openDialog("alice")`);
    const messages = async () =>
      (await api<{ messages: Msg[] }>(server.url, "GET", "/api/v1/dialogs/bob/messages?limit=200", {
        token: alice,
      })).body.messages;

    await t.step(
      "links: only http(s), safe attributes, and what the link filter let through",
      async () => {
        await send(
          server.url,
          bob,
          "alice",
          "docs: https://example.org/a?b=1, not https://evil.test/x or javascript:alert(1)",
        );
        const text = A.page.locator(".msg.them .text").last();
        await until(async () => (await text.textContent())?.startsWith("docs:"), "the message");
        const link = text.locator("a");
        assert.equal(await link.count(), 1);
        assert.equal(await link.getAttribute("href"), "https://example.org/a?b=1");
        assert.equal(await link.getAttribute("target"), "_blank");
        assert.equal(await link.getAttribute("rel"), "noopener noreferrer nofollow");
        assert.equal(await link.textContent(), "https://example.org/a?b=1");
        assert.equal(
          await text.textContent(),
          "docs: https://example.org/a?b=1, not *** or javascript:alert(1)",
        );
      },
    );

    await t.step("reply: from the menu, quoted above the bubble on both sides", async () => {
      const theirs = A.page.locator(".msg.them").last();
      await theirs.click({ button: "right" });
      await A.page.locator(".menu .reply").click();
      await A.page.locator(".replybar .quote").waitFor();
      assert.match((await A.page.locator(".replybar").textContent())!, /Bob Brown.*docs:/);
      await A.page.locator("textarea").fill("thanks for the docs");
      await A.page.keyboard.press("Enter");
      await A.page.locator(".replybar").waitFor({ state: "detached" });
      const quote = B.page.locator(".msg.them .quote");
      await quote.waitFor();
      // Bob sees his own words quoted as his.
      assert.match((await quote.textContent())!, /^Bob Brown.*docs: https:\/\/example\.org/);
      const stored = (await messages()).at(-1)!;
      assert.equal(stored.text, "thanks for the docs");
      assert.ok(stored.reply_to, "stored with its quote");
    });

    await t.step(
      "reply: a click on a quote brings an original from far back into view",
      async () => {
        const r = await api(server.url, "POST", "/api/v1/dialogs/bob/messages", {
          token: alice,
          json: { text: "about the tree", reply_to: first.id },
        });
        assert.equal(r.status, 201);
        await gotoHost(B.page, host, "bob", {});
        await js(B.page, `Parley.openDialog("alice")`);
        const quote = B.page.locator(".msg.them .quote").last();
        await until(async () => (await quote.textContent())?.includes("Купили Ёлку"), "the quote");
        assert.equal(await B.page.locator(`[data-id="${first.id}"]`).count(), 0, "not loaded yet");
        await quote.click();
        await until(async () => (await focusedId(B.page)) === first.id, "the original focused");
      },
    );

    await t.step(
      "outbox: a clock while sending, ✓ once stored, ✓✓ once read; offline waits",
      async () => {
        await A.ctx.setOffline(true);
        await A.page.locator("textarea").fill("written offline");
        await A.page.keyboard.press("Enter");
        const pending = A.page.locator(".msg.pending");
        await pending.locator(".clock[aria-label=sending]").waitFor();
        assert.equal(await A.page.locator("textarea").inputValue(), "");
        await A.ctx.setOffline(false);
        await pending.waitFor({ state: "detached" });
        const mine = A.page.locator(".msg.me:not(.pending)").last();
        assert.equal(await mine.locator(".text").textContent(), "written offline");
        // Bob has the dialog open: it is read at once.
        await mine.locator(".ticks.read").waitFor();
      },
    );

    await t.step("outbox: kept through a reload, sent when the network is back", async () => {
      await A.page.route(
        "**/dialogs/bob/messages",
        (r) => r.request().method() === "POST" ? r.abort() : r.continue(),
      );
      await A.page.locator("textarea").fill("survives a reload");
      await A.page.keyboard.press("Enter");
      await A.page.locator(".msg.pending").waitFor();
      await gotoHost(A.page, host, "alice", {});
      await js(A.page, `Parley.openDialog("bob")`);
      const pending = A.page.locator(".msg.pending .text");
      await until(
        async () => (await pending.textContent()) === "survives a reload",
        "still waiting",
      );
      await A.page.unroute("**/dialogs/bob/messages");
      await A.ctx.setOffline(true);
      await A.ctx.setOffline(false);
      await A.page.locator(".msg.pending").waitFor({ state: "detached" });
      assert.equal((await messages()).filter((m) => m.text === "survives a reload").length, 1);
    });

    await t.step("outbox: an answer lost on the way is sent again and stored once", async () => {
      let lost = 0;
      await A.page.route("**/dialogs/bob/messages", async (r) => {
        if (r.request().method() !== "POST" || lost++) return r.continue();
        await r.fetch(); // the server stores it…
        await r.abort(); // …and the answer never arrives
      });
      await A.page.locator("textarea").fill("exactly once");
      await A.page.keyboard.press("Enter");
      await until(() => Promise.resolve(lost >= 2), "sent again", 10_000);
      await A.page.locator(".msg.pending").waitFor({ state: "detached" });
      await A.page.unroute("**/dialogs/bob/messages");
      assert.equal((await messages()).filter((m) => m.text === "exactly once").length, 1);
      assert.equal(await A.page.locator(".msg.me .text", { hasText: "exactly once" }).count(), 1);
    });

    await t.step("outbox: a refusal gives up at once with its reason; Retry sends it", async () => {
      const block = await api(server.url, "PUT", "/api/v1/blocks/alice", { token: bob });
      assert.ok(block.status < 300, JSON.stringify(block.body));
      await A.page.locator("textarea").fill("are you there?");
      await A.page.keyboard.press("Enter");
      const failed = A.page.locator(".msg.pending.failed");
      await failed.waitFor();
      assert.match(
        (await failed.locator("[role=alert]").textContent())!,
        /^Not sent: This user does not accept your messages\./,
      );
      await api(server.url, "DELETE", "/api/v1/blocks/alice", { token: bob });
      await failed.locator("button", { hasText: "Retry" }).click();
      await A.page.locator(".msg.pending").waitFor({ state: "detached" });
      assert.equal((await messages()).at(-1)!.text, "are you there?");
    });

    await t.step(
      "outbox: after 8 tries that fail on the way it gives up and says so; Retry sends it",
      async () => {
        let tries = 0;
        // A server that keeps failing (503, "try again in 1 s"): 8 tries, then "not sent".
        await A.page.route("**/dialogs/bob/messages", (r) => {
          if (r.request().method() !== "POST") return r.continue();
          tries++;
          return r.fulfill({
            status: 503,
            // The widget is on the host's origin: the header must be exposed, as Parley's is.
            headers: {
              "retry-after": "1",
              "access-control-allow-origin": "*",
              "access-control-expose-headers": "Retry-After",
            },
            json: { error: { code: "unavailable", message: "down" } },
          });
        });
        await A.page.locator("textarea").fill("after a storm");
        await A.page.keyboard.press("Enter");
        const failed = A.page.locator(".msg.pending.failed");
        await failed.waitFor({ timeout: 20_000 });
        assert.equal(tries, 8);
        assert.match((await failed.locator("[role=alert]").textContent())!, /^Not sent: /);
        await A.page.waitForTimeout(1500);
        assert.equal(tries, 8, "it stopped trying");
        await A.page.unroute("**/dialogs/bob/messages");
        await failed.locator("button", { hasText: "Retry" }).click();
        await A.page.locator(".msg.pending").waitFor({ state: "detached" });
        assert.equal((await messages()).at(-1)!.text, "after a storm");
      },
    );

    await t.step("search: ё = е, results from far back, a click shows the message", async () => {
      await A.page.locator(".top .find").click();
      const input = A.page.locator(".finder input[type=search]");
      await input.fill("ЕЛКУ");
      const hit = A.page.locator(".finder .hit");
      await hit.first().waitFor();
      assert.equal(await hit.count(), 1);
      assert.match((await hit.textContent())!, /Купили Ёлку!/);
      assert.equal(await A.page.locator(".finder [role=status]").textContent(), "Found: 1");
      await hit.click();
      await A.page.locator(".finder").waitFor({ state: "detached" });
      await until(async () => (await focusedId(A.page)) === first.id, "the result focused");
      // Esc closes the search only.
      await A.page.locator(".top .find").click();
      await A.page.keyboard.press("Escape");
      await A.page.locator(".finder").waitFor({ state: "detached" });
      assert.equal(await A.page.locator("section.panel").count(), 1);
    });

    await t.step("360 px: the search and the reply bar fit the screen", async () => {
      await A.page.setViewportSize({ width: 360, height: 740 });
      await A.page.locator(".top .find").click();
      const box = await A.page.locator(".finder").boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, JSON.stringify(box));
      await A.page.keyboard.press("Escape");
      await A.page.locator(".msg.them").last().click({ button: "right" });
      await A.page.locator(".menu .reply").click();
      const bar = await A.page.locator(".replybar").boundingBox();
      assert.ok(bar && bar.x >= 0 && bar.x + bar.width <= 360, JSON.stringify(bar));
      await A.page.locator(".replybar button[aria-label='Cancel the reply']").click();
      await A.page.locator(".replybar").waitFor({ state: "detached" });
      await A.page.setViewportSize({ width: 1000, height: 720 });
    });

    await t.step("an image with a caption: the text in the box goes with the image", async () => {
      await A.page.locator("textarea").fill("the view from here");
      await pickImage(A.page);
      const sent = B.page.locator(".msg.them", { has: B.page.locator(".thumb") }).last();
      await sent.waitFor();
      assert.equal(await sent.locator(".text").textContent(), "the view from here");
      assert.equal(await A.page.locator("textarea").inputValue(), "");
    });

    await t.step("reply: when the original is deleted, its quotes say so at once", async () => {
      const quote = A.page.locator(".msg.me .quote", { hasText: "Купили" });
      await quote.waitFor();
      const del = await api(server.url, "DELETE", `/api/v1/messages/${first.id}`, { token: bob });
      assert.equal(del.status, 200);
      await until(async () => (await quote.count()) === 0, "the snippet gone");
      const gone = A.page.locator(".msg.me", { hasText: "about the tree" }).locator(".quote");
      assert.equal(await gone.textContent(), "Bob BrownDeleted message");
    });
  } finally {
    await browser.close();
    await host.close();
    await server.close();
  }
});
