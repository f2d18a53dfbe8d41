/** `/widget.js` as a browser fetches it: one self-contained script, gzip, ETag revalidation. */
import assert from "node:assert/strict";
import { startServer } from "./helpers.ts";

Deno.test("/widget.js is one gzip'd self-contained script with an ETag", async () => {
  const s = await startServer();
  try {
    const res = await fetch(`${s.url}/widget.js`, { headers: { "accept-encoding": "gzip" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(res.headers.get("content-encoding"), "gzip");
    assert.equal(res.headers.get("vary"), "accept-encoding");
    const code = await res.text(); // fetch decompresses
    const gzipped = Number(res.headers.get("content-length"));
    // An IIFE: a classic <script> of it adds no globals besides Parley / StarCometChat.
    assert.match(code, /^\(\(\)=>\{/);
    assert.match(code, /StarCometChat/);
    // Regression guard on the measured size (the budget is 15 KB; see docs/widget.md).
    assert.ok(gzipped > 0 && gzipped < 19_000, `widget.js is ${gzipped} bytes gzip`);

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
