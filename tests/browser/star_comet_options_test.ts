/**
 * The original's display options on its own `userPage.php` (only the script tag changed), in the
 * original's meaning: `user_avatar_url_tpl` is a prefix put before the host's relative
 * `avatar_url`, `file_dir` is where `[[img=name]]` images live, `page_size` is the history page.
 * The PHP site here is the fixture with one change in its data: Лена's avatar is a relative path,
 * as many real sites stored them (the fixture's own are absolute URLs on comet-server.com).
 */
import assert from "node:assert/strict";
import { js, launchBrowser } from "../support/browser.ts";
import { startServer } from "../support/helpers.ts";
import { CDN, startOriginalPages, startPhpSite } from "../support/star_comet_site.ts";
import { say, tokenOf, type Visit, visit, wait } from "../support/star_comet_browser.ts";

/** Лена's avatar in the fixture, and the relative path this site gives her instead. */
const LENA_ABSOLUTE =
  `"user_id" => 2, "avatar_url" => "https://comet-server.com/doc/CometQL/Star.Comet-Chat/img/avatar0.png"`;
const LENA_PATH = "img/lena.png";

Deno.test("the original's avatar prefix, file_dir and page_size on its own page", async (t) => {
  const php = await startPhpSite({
    config: (src) => src.replace(LENA_ABSOLUTE, `"user_id" => 2, "avatar_url" => "${LENA_PATH}"`),
  });
  const server = await startServer({
    PARLEY_USERS_INFO_URL: `${php.url}/chat_get_users.php`,
    PARLEY_USERS_HASH_URL: `${php.url}/chat_get_user_hash.php`,
  });
  const pages = startOriginalPages(php.url, server.url);
  for (const part of ["", "-compat", "-extra", "-en"]) {
    await (await fetch(`${server.url}/widget${part}.js`)).body?.cancel();
  }
  const browser = await launchBrowser();
  /**
   * Виктор on Михаил's page (not Лена's: her page shows her avatar itself) with the chat open at
   * `peer`, the page's options plus `extra`.
   */
  const openAt = async (peer: number, extra?: string) => {
    const v: Visit = { extra };
    const A = await visit(browser, pages.url, 1, 4, v);
    await js(A.page, `StarCometChat.openDialog(${peer})`);
    await A.page.locator(".panel").waitFor();
    return A;
  };
  try {
    const [viktor, lena, masha] = await Promise.all(
      [1, 2, 3].map((id) => tokenOf(server, php, id)),
    );
    await say(server, lena, 1, "Смотри: [[img=photo1.png]]");
    await say(server, masha, 1, "Привет от Маши");

    await t.step(
      "user_avatar_url_tpl goes before a relative avatar_url, as in chat.js",
      async () => {
        // The page's own option is "": chat.js wrote src="img/lena.png", relative to the page.
        const A = await openAt(2);
        await wait(
          () => Promise.resolve(A.requests.includes(`${pages.url}/${LENA_PATH}`)),
          "Лена's avatar asked for next to the page",
        );
        // An absolute avatar_url is the profile's own, whatever the prefix.
        await js(A.page, "StarCometChat.closeChat()");
        await js(A.page, "StarCometChat.openDialog(3)");
        await wait(
          () => Promise.resolve(A.cdn.includes("/doc/CometQL/Star.Comet-Chat/img/avata.png")),
          "Маша's avatar from her absolute URL",
        );
        await A.ctx.close();

        // A prefix on another host (a CDN), as owners configured it.
        const B = await openAt(2, `{ user_avatar_url_tpl: "${CDN}/avatars/" }`);
        await wait(
          () => Promise.resolve(B.cdn.includes(`/avatars/${LENA_PATH}`)),
          "Лена's avatar under the prefix",
        );
        assert.ok(!B.requests.includes(`${pages.url}/${LENA_PATH}`));
        await B.ctx.close();
      },
    );

    await t.step("[[img=name]] shows the image from file_dir (chatFiles by default)", async () => {
      const A = await openAt(2);
      const img = A.page.locator("img.fimg");
      await img.waitFor();
      assert.equal(await img.getAttribute("src"), `${pages.url}/chatFiles/photo1.png`);
      assert.equal(await img.getAttribute("alt"), "photo1.png");
      assert.match(await A.page.locator(".msg.them").last().textContent() ?? "", /^Смотри: /);
      await A.ctx.close();

      const B = await openAt(2, `{ file_dir: "${CDN}/files/" }`);
      await B.page.locator("img.fimg").waitFor();
      assert.equal(await B.page.locator("img.fimg").getAttribute("src"), `${CDN}/files/photo1.png`);
      await B.ctx.close();

      // A file_dir that is not http(s) shows the name as text, never a javascript: image.
      const C = await openAt(2, `{ file_dir: "javascript:alert(1)//" }`);
      await C.page.locator(".msg.them", { hasText: "photo1.png" }).waitFor();
      assert.equal(await C.page.locator("img.fimg").count(), 0);
      await C.ctx.close();
    });

    await t.step("page_size is the history page, within 1-200", async () => {
      for (let i = 1; i <= 12; i++) await say(server, masha, 1, `Сообщение ${i}`);
      await say(server, viktor, 3, "Ответ Маше");
      const history = (r: string) => r.startsWith(`${server.url}/api/v1/dialogs/3/messages?`);
      const A = await openAt(3, "{ page_size: 5 }");
      await A.page.locator(".msg", { hasText: "Ответ Маше" }).waitFor();
      assert.equal(new URL(A.requests.find(history)!).searchParams.get("limit"), "5");
      assert.equal(await A.page.locator(".msg").count(), 5);
      await A.ctx.close();

      const B = await openAt(3, "{ page_size: 1000 }");
      await B.page.locator(".msg", { hasText: "Ответ Маше" }).waitFor();
      assert.equal(new URL(B.requests.find(history)!).searchParams.get("limit"), "200");
      assert.equal(await B.page.locator(".msg").count(), 14);
      await B.ctx.close();
    });
  } finally {
    await browser.close();
    await server.close();
    await pages.close();
    await php.close();
  }
});
