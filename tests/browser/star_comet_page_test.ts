/**
 * The original Star.Comet-Chat's own `userPage.php`, unchanged but for its chat.js script tag
 * (now Parley's `/widget.js`), in real Chromium against the original's own PHP callbacks
 * (`chat_get_users.php`, `chat_get_user_hash.php` served by `php -S`; Parley in callback mode).
 * The page keeps its jQuery includes, its `CometServer().start(...)`, its `StarCometChat.init`
 * options and its `#newMsgIndicator` code. Users are the fixture's: 1 Виктор, 2 Лена, 3 Маша,
 * 4 Михаил; the page of `lodinN` is user N's page, seen by whoever signed in through auth.php.
 */
import assert from "node:assert/strict";
import { js, launchBrowser } from "../support/browser.ts";
import { startServer } from "../support/helpers.ts";
import { CDN, startOriginalPages, startPhpSite } from "../support/star_comet_site.ts";
import {
  muted,
  say,
  title,
  tokenOf,
  unread,
  type Visit,
  visit,
  wait,
} from "../support/star_comet_browser.ts";
import { startFakeLibre } from "../support/translate_fakes.ts";

/** The page's own includes (and the profiles' avatars): all it may ask the CDN for. */
const PAGE_INCLUDES =
  /^\/(CometServerApi\.js|doc\/CometQL\/Star\.Comet-Chat\/(js\/jquery\.min\.js|js\/jquery\.cookie\.js|js\/moment\.min\.js|tinyscrollbar\/jquery\.tinyscrollbar\.js|chat\.css|img\/\w+\.png))$/;

Deno.test("the original userPage.php with only its script tag changed", async (t) => {
  const php = await startPhpSite();
  const translator = startFakeLibre();
  const server = await startServer({
    PARLEY_USERS_INFO_URL: `${php.url}/chat_get_users.php`,
    PARLEY_USERS_HASH_URL: `${php.url}/chat_get_user_hash.php`,
    PARLEY_TRANSLATE_PROVIDER: "libretranslate",
    PARLEY_TRANSLATE_URL: translator.url,
  });
  const pages = startOriginalPages(php.url, server.url);
  // The bundles are built on first request: on a busy machine that alone can take seconds, which
  // must not count against the page loads below.
  for (const part of ["", "-compat", "-extra", "-en"]) {
    await (await fetch(`${server.url}/widget${part}.js`)).body?.cancel();
  }
  const browser = await launchBrowser();
  const open = (uid: number, pageOf: number, v?: Visit) =>
    visit(browser, pages.url, uid, pageOf, v);
  try {
    // Before Виктор comes: Маша writes, then Лена twice (both unread); Виктор wrote to Михаил last.
    const [viktor, lena, masha] = await Promise.all(
      [1, 2, 3].map((id) => tokenOf(server, php, id)),
    );
    await say(server, masha, 1, "Привет от Маши");
    await say(server, lena, 1, "Привет!");
    await say(server, lena, 1, "Как дела?");
    await say(server, viktor, 4, "Михаил, здравствуй");

    const A = await open(1, 2);
    const B = await open(2, 1);

    await t.step("it starts: no errors, no launcher, #newMsgIndicator from success", async () => {
      assert.deepEqual(await js(A.page, "__errors"), []);
      assert.equal(
        await A.page.locator("#newMsgIndicator").textContent(),
        "У вас 3 новых сообщений",
      );
      assert.equal(await unread(A.page), 3);
      assert.equal(await unread(A.page, 2), 2);
      assert.equal(await unread(A.page, 3), 1);
      // Лена has nothing unread: the page's own code leaves the indicator empty.
      assert.equal(await B.page.locator("#newMsgIndicator").textContent(), "");
      assert.equal(
        await A.page.locator(".launcher").count(),
        0,
        "no launcher on the original page",
      );
      assert.equal(await A.page.locator(".panel").count(), 0, "open:false");
      // CometServer().start(...) ran against the stand-in; nothing went to home_dir's PHP.
      assert.equal(await js(A.page, "typeof CometServer().start"), "function");
      const strange = [...A.cdn, ...B.cdn].filter((p) => !PAGE_INCLUDES.test(p));
      assert.deepEqual(strange, [], `requests to ${CDN} beyond the page's includes`);
    });

    await t.step(
      "#newMsgIndicator opens the original's first dialog, linked by login",
      async () => {
        await A.page.locator("#newMsgIndicator").click();
        await wait(async () => (await title(A.page)) === "Лена", "Лена's dialog");
        // user_url_tpl "//comet-server.com/user/" is a prefix: the login follows.
        assert.equal(
          await A.page.locator("#pw-title a").getAttribute("href"),
          "http://comet-server.com/user/lodin2",
        );
        await wait(async () => (await A.page.locator(".msg.them").count()) === 2, "history");
        await wait(async () => (await unread(A.page)) === 1, "Лена's read");
        assert.equal(await unread(A.page, 2), 0);
        assert.equal(await js(A.page, "StarCometChat.interlocutor_id"), 2);
      },
    );

    await t.step("two users exchange messages live; counters follow", async () => {
      await B.page.getByText("Написать этому пользователю").click();
      await wait(async () => (await title(B.page)) === "Виктор", "Виктор's dialog");
      await B.page.locator("textarea").fill("Отлично, а у тебя?");
      await B.page.keyboard.press("Enter");
      await A.page.locator(".msg.them", { hasText: "Отлично, а у тебя?" }).waitFor();
      await A.page.locator("textarea").fill("Тоже хорошо");
      await A.page.keyboard.press("Enter");
      await B.page.locator(".msg.them", { hasText: "Тоже хорошо" }).waitFor();
      await wait(
        async () => (await unread(A.page)) === 1,
        "read as it arrived in the open dialog",
      );
      // Лена closes the chat; Виктор writes again: her counter moves live, and it rings.
      await B.page.locator(".close").click();
      await B.page.locator(".panel").waitFor({ state: "detached" });
      const beeps = await js<number>(B.page, "__beeps");
      await A.page.locator("textarea").fill("Ты тут?");
      await A.page.keyboard.press("Enter");
      await wait(async () => (await unread(B.page)) === 1, "Лена's counter");
      assert.equal(await unread(B.page, 1), 1);
      await wait(
        async () => (await js<number>(B.page, "__beeps")) > beeps,
        "sound (useSsound default 1)",
      );
    });

    await t.step(
      "writing to yourself opens the first dialog, not one titled with your id",
      async () => {
        await js(B.page, "StarCometChat.openDialog(2)");
        await wait(async () => (await title(B.page)) === "Виктор", "first dialog");
        assert.equal(await B.page.locator(".composer .err").count(), 0);
        await js(A.page, `StarCometChat.openDialog("1")`);
        await wait(async () => (await title(A.page)) === "Маша", "Виктор's first dialog now");
        await wait(async () => (await unread(A.page)) === 0, "Маша's read");
      },
    );

    await t.step(
      "langs: the original's objects are the translate menu, and stay untouched",
      async () => {
        await js(A.page, "StarCometChat.openDialog(2)");
        await wait(async () => (await title(A.page)) === "Лена", "Лена's dialog");
        await A.page.locator(".msg.them .mact").first().click();
        const items = A.page.locator(".acts .menu .translate");
        assert.deepEqual(await items.allTextContents(), [
          "Translate: Русский",
          "Translate: Английский",
          "Translate: Украинский",
        ]);
        await A.page.locator(".acts .menu .translate[lang=en]").click();
        await A.page.locator(".msg .tr", { hasText: "[en] Привет!" }).waitFor();
        assert.equal(translator.seen.at(-1)?.body.target, "en");
        assert.equal(await js(A.page, "JSON.stringify(__opts)"), await js(A.page, "__optsJson"));
        assert.deepEqual(await js(A.page, "__opts.langs.map((l) => Object.keys(l).join())"), [
          "name,textName",
          "name,textName",
          "name,textName",
        ]);
      },
    );

    await t.step("the original's public calls", async () => {
      const pressed = () => A.page.locator(".tabs [aria-pressed=true]").textContent();
      await js(A.page, "StarCometChat.tabShowFavorite()");
      await wait(async () => (await A.page.locator(".tabs").count()) === 1, "the list");
      assert.equal(await pressed(), "Favourites");
      await js(A.page, "StarCometChat.tabShowLoc()");
      await wait(async () => (await pressed()) === "Blocked", "blocked tab");
      await js(A.page, "StarCometChat.tabShowBase()");
      await wait(async () => (await pressed()) === "All", "all tab");
      await js(A.page, "StarCometChat.toggleLeftColumn()");
      await wait(async () => (await title(A.page)) === "Лена", "back to the dialog");
      assert.equal(await js(A.page, "StarCometChat.getUserInfo().login"), "lodin2");
      await js(A.page, "StarCometChat.toggleMobileMode()");
      assert.equal((await A.page.locator(".panel").boundingBox())?.width, 1000);
      await js(A.page, "StarCometChat.toggleMobileMode()");
      assert.equal((await A.page.locator(".panel").boundingBox())?.width, 370);
      await js(
        A.page,
        "StarCometChat.chatUpdateSize(); StarCometChat.sendMessage(); StarCometChat.sendMessage()",
      );
      assert.deepEqual(
        A.warnings.filter((w) => w.includes("not supported")),
        ["Parley: StarCometChat.sendMessage is not supported (docs/widget.md)"],
      );
      assert.match(
        await js<string>(A.page, "StarCometChat.getTimeString(Date.now())"),
        /^\d\d:\d\d$/,
      );
      await js(A.page, "StarCometChat.closeChat()");
      await A.page.locator(".panel").waitFor({ state: "detached" });
    });

    await t.step(
      "open, useSsound, onCloseChat and launcher: true, as options of the page",
      async () => {
        await say(server, masha, 1, "Маша снова");
        const C = await open(1, 2, {
          extra:
            "{ open: true, useSsound: 0, launcher: true, onCloseChat() { window.__closed = (window.__closed || 0) + 1; } }",
        });
        // open: the original opened its first dialog (unread first: Маша), not the list.
        await wait(async () => (await title(C.page)) === "Маша", "first dialog opened by itself");
        await wait(async () => (await unread(C.page)) === 0, "Маша's read");
        assert.equal(await muted(C.page), "true");
        await say(server, lena, 1, "Звук выключен?");
        await wait(async () => (await unread(C.page, 2)) === 1, "Лена's message");
        assert.equal(await js(C.page, "__beeps"), 0, "useSsound: 0 plays nothing");
        await C.page.locator(".close").click();
        assert.equal(await js(C.page, "__closed"), 1);
        await C.page.locator(".launcher").waitFor();
        await C.ctx.close();
      },
    );

    await t.step("the original's stored sound switch is carried over once", async () => {
      const D = await open(1, 2, {
        before: `localStorage.setItem("StarCometChat.useSsound", "0")`,
      });
      await js(D.page, "StarCometChat.openDialog(2)");
      await D.page.locator(".panel").waitFor();
      await wait(async () => (await unread(D.page)) === 0, "Лена's read");
      assert.equal(await muted(D.page), "true");
      assert.equal(await js(D.page, `localStorage.getItem("parley:muted")`), "1");
      // From now on Parley's own choice counts, whatever the old key says.
      await js(D.page, `localStorage.setItem("StarCometChat.useSsound", "1")`);
      await D.page.reload();
      await D.page.waitForFunction(() =>
        (globalThis as unknown as { StarCometChat: { initSuccess: boolean } }).StarCometChat
          .initSuccess
      );
      await js(D.page, "StarCometChat.openDialog(2)");
      await D.page.locator(".panel").waitFor();
      assert.equal(await muted(D.page), "true");
      await D.ctx.close();
    });

    await t.step(
      "with comet-server's library present, it is left alone and the chat works",
      async () => {
        await say(server, masha, 1, "Ещё раз привет");
        const E = await open(1, 2, {
          cometLibrary: `var CometServer = function () {
  return { start: function (o) { window.__cometStart = o; }, subscription: function () {} };
};
CometServer.real = true;`,
        });
        assert.equal(await js(E.page, "CometServer.real"), true);
        assert.equal(await js(E.page, "__cometStart.user_id"), 1);
        assert.deepEqual(await js(E.page, "__errors"), []);
        assert.equal(
          await E.page.locator("#newMsgIndicator").textContent(),
          "У вас 1 новых сообщений",
        );
        await E.page.getByText("Написать этому пользователю").click();
        await wait(async () => (await title(E.page)) === "Лена", "Лена's dialog");
        await E.page.locator("textarea").fill("С библиотекой comet");
        await E.page.keyboard.press("Enter");
        await B.page.locator(".msg.them", { hasText: "С библиотекой comet" }).waitFor();
        await E.ctx.close();
      },
    );

    await A.ctx.close();
    await B.ctx.close();
  } finally {
    await browser.close();
    await server.close();
    await translator.close();
    await pages.close();
    await php.close();
  }
});
