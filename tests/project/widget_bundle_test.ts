/**
 * `/widget.js` as a browser fetches it: one self-contained script within the 15 KB gzip
 * budget, gzip, ETag revalidation; and the parts it loads on demand (`/widget-extra.js`, `/widget-chat.js`,
 * `/widget-ru.js`, `/widget-compat.js`), which carry the same build id and are cached for good when asked for by it.
 */
import assert from "node:assert/strict";
import { startServer } from "../support/helpers.ts";

/** The budget for what a host page loads first (bytes, gzip as served). */
const CORE_BUDGET = 15_000;

/** Fetches a bundle as a browser does; returns its code and the gzip size on the wire. */
async function get(url: string) {
  const res = await fetch(url, { headers: { "accept-encoding": "gzip" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.equal(res.headers.get("vary"), "accept-encoding");
  const gzipped = Number(res.headers.get("content-length"));
  return { res, code: await res.text(), gzipped }; // fetch decompresses
}

Deno.test("/widget.js is one gzip'd self-contained script with an ETag, within 15 KB", async () => {
  const s = await startServer();
  try {
    const { res, code, gzipped } = await get(`${s.url}/widget.js`);
    // An IIFE: a classic <script> of it adds no globals besides Parley / StarCometChat.
    assert.match(code, /^\(\(\)=>\{/);
    assert.match(code, /StarCometChat/);
    assert.ok(gzipped > 0 && gzipped <= CORE_BUDGET, `widget.js is ${gzipped} bytes gzip`);

    const etag = res.headers.get("etag")!;
    const again = await fetch(`${s.url}/widget.js`, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    await again.body?.cancel();
    const plain = await fetch(`${s.url}/widget.js`, { headers: { "accept-encoding": "identity" } });
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.equal(await plain.text(), code);
  } finally {
    await s.close();
  }
});

Deno.test("the lazy parts share widget.js's build id and are cached for good under it", async () => {
  const s = await startServer();
  try {
    const { code: core } = await get(`${s.url}/widget.js`);
    assert.ok(!core.includes("__PARLEY_BUILD__"), "the build id was not filled in");
    const id = core.match(/"([0-9a-f]{24})"/)?.[1];
    assert.ok(id, "widget.js names its build id");
    for (
      const [path, cap] of [
        // 9,000 since images that failed on the way wait to be sent again (upload.ts).
        ["/widget-extra.js", 9_000],
        // Replies, links, the outbox, search and captions (islands/widget_chat).
        ["/widget-chat.js", 5_000],
        ["/widget-look.js", 4_000],
        ["/widget-en.js", 2_000],
        ["/widget-ru.js", 2_000],
        ["/widget-compat.js", 3_000],
      ] as const
    ) {
      const { res, code, gzipped } = await get(`${s.url}${path}?v=${id}`);
      assert.match(code, /^\(\(\)=>\{/, `${path} is an IIFE`);
      assert.ok(code.includes(`"${id}"`), `${path} names the same build id`);
      assert.ok(gzipped <= cap, `${path} is ${gzipped} bytes gzip`);
      assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
      // Without the id (or with another build's) it may change: revalidate.
      for (const q of ["", "?v=0123456789abcdef01234567"]) {
        const other = await fetch(`${s.url}${path}${q}`);
        assert.equal(other.headers.get("cache-control"), "public, max-age=300, must-revalidate");
        assert.equal(await other.text(), code);
      }
    }
  } finally {
    await s.close();
  }
});

Deno.test("the lazy parts import the widget core only as types", async () => {
  // A value import would bundle a second copy of the core (its own state, its own Preact) into
  // the lazy script; they get the core's internals when they register instead. Only modules
  // without state or imports of their own may be shared.
  const shared = new Set(["build_id.ts", "api_error.ts", "sheet.ts", "icons.ts", "ban_delay.ts"]);
  const dirs = ["widget_extra", "widget_chat", "widget_look", "widget_en", "widget_ru"];
  for (const dir of [...dirs, "widget_compat"]) {
    for await (const f of Deno.readDir(new URL(`../../islands/${dir}/`, import.meta.url))) {
      const src = await Deno.readTextFile(
        new URL(`../../islands/${dir}/${f.name}`, import.meta.url),
      );
      for (const m of src.matchAll(/^import (type )?[^;]*?from "([^"]+)";/gms)) {
        const [, isType, from] = m;
        if (isType || from.startsWith("./")) continue;
        // widget-chat.js and widget-look.js bind their own copies of widget-extra.js's
        // bindings of the core.
        const binds = dir === "widget_chat" || dir === "widget_look";
        if (binds && from === "../widget_extra/core.ts") continue;
        assert.ok(
          from.startsWith("../widget/") && shared.has(from.slice(10)),
          `${dir}/${f.name} imports ${from} at run time`,
        );
      }
    }
  }
});
