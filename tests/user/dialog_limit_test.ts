/**
 * `GET /api/v1/dialogs?limit=` pages whatever the mix: unread dialogs first (newest first), then
 * the rest, never more than `limit` per page, each dialog exactly once across the pages.
 */
import assert from "node:assert/strict";
import { api, login, send, startServer } from "../support/helpers.ts";

type Page = { dialogs: { peer: string; unread: number }[]; next_cursor: string | null };

Deno.test("dialogs: limit holds with many unread dialogs, and pages cover each dialog once", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const unread: string[] = [];
    const read: string[] = [];
    for (let i = 0; i < 17; i++) {
      const peer = `p${i}`;
      const t = await login(s.url, peer);
      if (i % 3 === 0) {
        await send(s.url, a, peer, "hello"); // a wrote last: nothing unread for a
        read.push(peer);
      } else {
        await send(s.url, t, "a", "hi"); // unread for a
        unread.push(peer);
      }
    }
    const one = await api<Page>(s.url, "GET", "/api/v1/dialogs?limit=1", { token: a });
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.dialogs.map((d) => d.peer), [unread.at(-1)]);
    assert.ok(one.body.next_cursor);

    const expected = [...[...unread].reverse(), ...[...read].reverse()];
    for (const limit of [1, 5, unread.length, 50]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const r = await api<Page>(s.url, "GET", `/api/v1/dialogs?limit=${limit}${q}`, { token: a });
        assert.equal(r.status, 200);
        assert.ok(r.body.dialogs.length <= limit, `a page of ${r.body.dialogs.length} > ${limit}`);
        seen.push(...r.body.dialogs.map((d) => d.peer));
        cursor = r.body.next_cursor;
        assert.ok(++pages <= 40);
      } while (cursor);
      assert.deepEqual(seen, expected, `limit ${limit}`);
    }
    const bad = await api<{ error: { field: string } }>(
      s.url,
      "GET",
      "/api/v1/dialogs?cursor=u.x",
      {
        token: a,
      },
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, "cursor");
  } finally {
    await s.close();
  }
});
