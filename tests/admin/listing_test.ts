/** Admin message listings over real HTTP: feed, per-user, per-pair, attachments, dates. */
import assert from "node:assert/strict";
import { commitStagedOps, stageUpload } from "../../kv/media/attachments.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, startServer, type TestServer } from "../support/helpers.ts";
const ADMIN_ENV = { PARLEY_ADMIN_IDS: "admin,boss" };

type AdminMsg = {
  id: string;
  from: string;
  to: string;
  text: string;
  attachment?: { id: string };
  original_text?: string;
  masked?: boolean;
};
type Page = { messages: AdminMsg[]; next_cursor: string | null; users: Record<string, unknown> };

/** Follows next_cursor to the end; returns every id in order and the number of pages. */
async function collect(s: TestServer, token: string, query: string, limit = 100) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const q: string = `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const r = await api<Page>(s.url, "GET", `/api/v1/admin/messages?${q}`, { token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    ids.push(...r.body.messages.map((m) => m.id));
    cursor = r.body.next_cursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

const desc = (ids: string[]) => [...ids].sort().reverse();

Deno.test("feed, one user's sent+received, a pair and attachments each page past 300 messages", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const pairs: [string, string][] = [["u1", "u2"], ["u3", "u1"], ["u2", "u3"], ["u3", "u4"]];
    const all: AdminMsg[] = [];
    for (let batch = 0; batch < 11; batch++) {
      const sent = await Promise.all(Array.from({ length: 30 }, async (_, j) => {
        const i = batch * 30 + j;
        const [from, to] = pairs[i % 4];
        // Real attachments (parts, record), so the store stays consistent.
        const staged = i % 7 === 0
          ? await stageUpload(kv, new Uint8Array(99), {
            type: "image/png",
            width: 4,
            height: 3,
            frames: 1,
            pixels: 12,
          }, {
            from,
            to,
          })
          : null;
        return sendMessage(kv, {
          from,
          to,
          text: `m${i}`,
          ...(staged ? { attachment: staged.attachment, also: commitStagedOps(staged) } : {}),
          ...(i % 10 === 0
            ? { extra: { original_text: `m${i} +7 900 000-00-00`, masked: true } }
            : {}),
        });
      }));
      all.push(...sent);
    }
    assert.equal(all.length, 330);

    const feed = await collect(s, admin, "");
    assert.deepEqual(feed.ids, desc(all.map((m) => m.id)));
    assert.equal(feed.pages, 4);

    const u1 = await collect(s, admin, "user=u1");
    const u1Expected = all.filter((m) => m.from === "u1" || m.to === "u1");
    assert.ok(u1Expected.some((m) => m.from === "u1") && u1Expected.some((m) => m.to === "u1"));
    assert.deepEqual(u1.ids, desc(u1Expected.map((m) => m.id)));
    assert.ok(u1.pages > 1);

    const pairIds = await collect(s, admin, "user=u2&peer=u1", 50);
    const pairExpected = all.filter((m) => [m.from, m.to].sort().join() === "u1,u2");
    assert.deepEqual(pairIds.ids, desc(pairExpected.map((m) => m.id)));
    assert.ok(pairIds.pages > 1);

    const att = await collect(s, admin, "attachments=1", 20);
    const attExpected = all.filter((m) => m.attachment);
    assert.deepEqual(att.ids, desc(attExpected.map((m) => m.id)));
    assert.ok(att.pages > 1);

    const u3Att = await collect(s, admin, "user=u3&attachments=1", 10);
    const u3AttExpected = attExpected.filter((m) => m.from === "u3" || m.to === "u3");
    assert.deepEqual(u3Att.ids, desc(u3AttExpected.map((m) => m.id)));

    // Admins see the server-only fields; names of everyone on the page come along.
    const first = await api<Page>(s.url, "GET", "/api/v1/admin/messages?limit=5", {
      token: admin,
    });
    const masked = await api<Page>(s.url, "GET", `/api/v1/admin/messages?user=u1&limit=200`, {
      token: admin,
    });
    const m0 = masked.body.messages.find((m) => m.text === "m0")!;
    assert.equal(m0.original_text, "m0 +7 900 000-00-00");
    assert.equal(m0.masked, true);
    assert.ok(m0.attachment);
    const names = Object.keys(first.body.users).sort();
    assert.deepEqual(
      names,
      [...new Set(first.body.messages.flatMap((m) => [m.from, m.to]))].sort(),
    );

    // Bad queries are clear 400s naming the parameter.
    for (
      const [q, field] of [
        ["peer=u1", "peer"],
        ["user=u1&peer=u1", "peer"],
        ["cursor=nope", "cursor"],
        ["limit=0", "limit"],
        ["user=bad%20id", "user"],
        ["attachments=yes", "attachments"],
      ]
    ) {
      const r = await api<{ error: { field: string } }>(
        s.url,
        "GET",
        `/api/v1/admin/messages?${q}`,
        { token: admin },
      );
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.field, field, q);
    }
  } finally {
    await s.close();
  }
});

Deno.test("date ranges select messages by their time, in every listing", async () => {
  const s = await startServer(ADMIN_ENV);
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    const tick = () => new Promise((r) => setTimeout(r, 3));
    const group = async (tag: string) => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) {
        out.push((await sendMessage(kv, { from: "ann", to: i % 2 ? "ben" : "cy", text: tag })).id);
      }
      return out;
    };
    const a = await group("a");
    await tick();
    const t1 = Date.now();
    await tick();
    const b = await group("b");
    await tick();
    const t2 = Date.now();
    await tick();
    const c = await group("c");

    const ids = async (q: string) => (await collect(s, admin, q, 3)).ids;
    assert.deepEqual(await ids(`from=${t1}&to=${t2}`), desc(b));
    assert.deepEqual(await ids(`from=${new Date(t1).toISOString()}`), desc([...b, ...c]));
    assert.deepEqual(await ids(`to=${new Date(t1).toISOString()}`), desc(a));
    assert.deepEqual(await ids(`user=ben&from=${t1}`), desc([...b, ...c].filter((_, i) => i % 2)));
    assert.deepEqual(
      await ids(`user=ann&peer=cy&from=${t1}&to=${t2}`),
      desc(b.filter((_, i) => i % 2 === 0)),
    );

    const bad = await api<{ error: { field: string } }>(
      s.url,
      "GET",
      "/api/v1/admin/messages?from=yesterday",
      { token: admin },
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, "from");
    const backwards = await api<{ error: { code: string } }>(
      s.url,
      "GET",
      `/api/v1/admin/messages?from=${t2}&to=${t1}`,
      { token: admin },
    );
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.code, "invalid_range");
  } finally {
    await s.close();
  }
});
