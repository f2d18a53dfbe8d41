/**
 * The monitor's filter searched by the server (`GET /api/v1/admin/messages?who=`): folded names
 * ("ежик" finds "Ёжик"), an id matching exactly and not as a substring, paging back past the
 * first page, and two users with one name told apart by their ids.
 */
import assert from "node:assert/strict";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, seedProfile, startServer } from "../support/helpers.ts";

type Page = {
  messages: { id: string; from: string; to: string }[];
  next_cursor: string | null;
  matched: string[];
  truncated: boolean;
  users: Record<string, { name: string }>;
};

Deno.test("monitor filter: server-side, Cyrillic-folded, exact ids, paged back", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin", PARLEY_MODERATOR_IDS: "mod" });
  try {
    const kv = s.parley.deps.kv;
    await seedProfile(kv, "4", { name: "Ёжик Туманный", login: "hedgehog" });
    await seedProfile(kv, "14", { name: "Татьяна Evans", login: "tanya" });
    await seedProfile(kv, "41", { name: "Татьяна Evans", login: "tevans" });
    await seedProfile(kv, "7", { name: "Пётр", login: "petr" });
    const sent: Record<string, string[]> = { "4": [], "14": [], "41": [] };
    // 130 messages of "4" (more than two pages of 50), some to "14"; "41" and "7" talk too.
    for (let i = 0; i < 130; i++) {
      const m = await sendMessage(kv, {
        from: i % 2 ? "4" : "7",
        to: i % 2 ? "7" : "4",
        text: `${i}`,
      });
      sent["4"].push(m.id);
    }
    for (let i = 0; i < 5; i++) {
      const m = await sendMessage(kv, { from: "14", to: "7", text: `t${i}` });
      sent["14"].push(m.id);
    }
    for (let i = 0; i < 3; i++) {
      const m = await sendMessage(kv, { from: "41", to: "7", text: `u${i}` });
      sent["41"].push(m.id);
    }
    const token = await login(s.url, "admin");
    const all = async (who: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      let first: Page | null = null;
      do {
        const q = new URLSearchParams({ who, limit: "50", ...(cursor ? { cursor } : {}) });
        const r: { status: number; body: Page } = await api<Page>(
          s.url,
          "GET",
          `/api/v1/admin/messages?${q}`,
          { token },
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        first ??= r.body;
        ids.push(...r.body.messages.map((m) => m.id));
        cursor = r.body.next_cursor;
      } while (cursor);
      return { ids, first: first! };
    };
    const desc = (ids: string[]) => [...ids].sort().reverse();

    // Folded: "ежик" (е, lower case) finds "Ёжик"; all 130 messages, newest first, over 3 pages.
    const hedgehog = await all("ежик");
    assert.deepEqual(hedgehog.first.matched, ["4"]);
    assert.deepEqual(hedgehog.ids, desc(sent["4"]));
    assert.equal(hedgehog.first.users["4"].name, "Ёжик Туманный");

    // An id matches exactly: "4" is user 4, not 14 or 41.
    const four = await all("4");
    assert.deepEqual(four.first.matched, ["4"]);
    assert.deepEqual(four.ids, desc(sent["4"]));

    // Two users with one name: both match, each told apart by the id in `matched`.
    const evans = await all("татьяна evans");
    assert.deepEqual(evans.first.matched.sort(), ["14", "41"]);
    assert.deepEqual(evans.ids, desc([...sent["14"], ...sent["41"]]));

    // Nobody: an empty page, not an error.
    const none = await all("нет такого");
    assert.deepEqual(none.first.matched, []);
    assert.deepEqual(none.ids, []);

    // Browsing messages is for admins: a moderator gets 403.
    const mod = await api(s.url, "GET", "/api/v1/admin/messages?who=4", {
      token: await login(s.url, "mod"),
    });
    assert.equal(mod.status, 403);
    // who is a query of its own.
    const mixed = await api(s.url, "GET", `/api/v1/admin/messages?who=4&user=7`, { token });
    assert.equal(mixed.status, 400);
    assert.equal((mixed.body as { error: { code: string } }).error.code, "who_alone");
  } finally {
    await s.close();
  }
});
