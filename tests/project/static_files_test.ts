/** Files of static/ are served as they are: the favicon for the admin page and the widget's host. */
import assert from "node:assert/strict";
import { startServer } from "../support/helpers.ts";

Deno.test("static: /favicon.ico is a real icon, /favicon.svg an SVG, and /admin links it", async () => {
  const srv = await startServer();
  try {
    const ico = await fetch(`${srv.url}/favicon.ico`);
    assert.equal(ico.status, 200);
    assert.equal(ico.headers.get("content-type"), "image/x-icon");
    const bytes = new Uint8Array(await ico.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 4)], [0, 0, 1, 0]); // ICONDIR: reserved 0, type 1 (icon)
    const svg = await fetch(`${srv.url}/favicon.svg`);
    assert.equal(svg.headers.get("content-type"), "image/svg+xml");
    assert.match(await svg.text(), /^<svg /);
    const page = await (await fetch(`${srv.url}/admin`)).text();
    assert.match(page, /<link rel="icon" href="\.\/favicon\.svg"/);
  } finally {
    await srv.close();
  }
});
