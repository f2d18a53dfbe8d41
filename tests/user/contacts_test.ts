import assert from "node:assert/strict";
import { listContacts } from "../../kv/people/contact_list.ts";
import { forgetContacts, setBlock, setFavourite } from "../../kv/people/relations.ts";
import { currentSeq } from "../../kv/messaging/events.ts";
import { keys } from "../../kv/keys.ts";
import type { PresenceRecord } from "../../kv/people/presence.ts";
import {
  api,
  login,
  seedProfile,
  send,
  SseClient,
  startHostSite,
  startServer,
  type TestServer,
} from "../support/helpers.ts";

interface Contact {
  user: { user_id: string; name: string; login: string };
  favourite: boolean;
  blocked: boolean;
  online: boolean;
  last_seen: string | null;
  unread: number;
  last_message: { text: string } | null;
}
type Page = { contacts: Contact[]; next_cursor: string | null };

function profile(s: TestServer, id: string, name: string, login = id) {
  return seedProfile(s.parley.deps.kv, id, { name, login });
}

async function contacts(s: TestServer, token: string, query: string) {
  const r = await api<Page>(s.url, "GET", `/api/v1/contacts?${query}`, { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

const ids = (p: Page) => p.contacts.map((c) => c.user.user_id);

Deno.test("favourites and blocks: PUT/DELETE round trip, idempotent, other tabs synced", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const tab1 = await SseClient.open(s.url, a);
    const tab2 = await SseClient.open(s.url, a);
    const bStream = await SseClient.open(s.url, b);
    try {
      const put = await api(s.url, "PUT", "/api/v1/favourites/b", { token: a });
      assert.equal(put.status, 200);
      assert.deepEqual(put.body, { favourite: true });
      for (const t of [tab1, tab2]) {
        const e = await t.waitFor((e) => e.event === "contact");
        assert.deepEqual(e.data, { peer: "b", favourite: true, blocked: false });
      }
      // Repeating is harmless and logs nothing new.
      assert.deepEqual((await api(s.url, "PUT", "/api/v1/favourites/b", { token: a })).body, {
        favourite: true,
      });
      assert.deepEqual(
        (await contacts(s, a, "tab=favourites")).contacts.map((c) => c.user.user_id),
        [
          "b",
        ],
      );

      const del = await api(s.url, "DELETE", "/api/v1/favourites/b", { token: a });
      assert.deepEqual(del.body, { favourite: false });
      const block = await api(s.url, "PUT", "/api/v1/blocks/b", { token: a });
      assert.deepEqual(block.body, { blocked: true });
      const events = await tab2.waitCount("contact", 3);
      assert.deepEqual(events.map((e) => e.data), [
        { peer: "b", favourite: true, blocked: false },
        { peer: "b", favourite: false, blocked: false },
        { peer: "b", favourite: false, blocked: true },
      ]);
      assert.deepEqual(ids(await contacts(s, a, "tab=favourites")), []);
      const blocked = await contacts(s, a, "tab=blocked");
      assert.deepEqual(ids(blocked), ["b"]);
      assert.equal(blocked.contacts[0].blocked, true);
      // A block without a dialog or favourite is not in "all".
      assert.deepEqual(ids(await contacts(s, a, "tab=all")), []);

      assert.deepEqual((await api(s.url, "DELETE", "/api/v1/blocks/b", { token: a })).body, {
        blocked: false,
      });
      assert.deepEqual(ids(await contacts(s, a, "tab=blocked")), []);
      await tab1.waitCount("contact", 4);
      // The other user hears nothing about it.
      assert.equal(bStream.ofType("contact").length, 0);

      const self = await api<{ error: { code: string; field: string } }>(
        s.url,
        "PUT",
        "/api/v1/blocks/a",
        { token: a },
      );
      assert.equal(self.status, 400);
      assert.equal(self.body.error.code, "self_dialog");
      const bad = await api<{ error: { code: string } }>(s.url, "PUT", "/api/v1/favourites/a%20b", {
        token: a,
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, "invalid_user_id");
      assert.equal((await api(s.url, "PUT", "/api/v1/favourites/b")).status, 401);
    } finally {
      await tab1.close();
      await tab2.close();
      await bStream.close();
    }
  } finally {
    await s.close();
  }
});

Deno.test("blocks refuse sends both ways: nothing stored, no event, no unread", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    await send(s.url, a, "b", "before the block");
    await api(s.url, "PUT", "/api/v1/blocks/a", { token: b });
    const kv = s.parley.deps.kv;
    const seqA = await currentSeq(kv, "a");
    const seqB = await currentSeq(kv, "b");

    const refused = await api<{ error: { code: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/b/messages",
      { token: a, json: { text: "can you hear me?" } },
    );
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "blocked");
    const back = await api<{ error: { code: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/a/messages",
      { token: b, json: { text: "I blocked you" } },
    );
    assert.equal(back.status, 403);
    assert.equal(back.body.error.code, "you_blocked");
    for (const [token, peer, code] of [[a, "b", "blocked"], [b, "a", "you_blocked"]]) {
      const t = await api<{ error: { code: string } }>(
        s.url,
        "POST",
        `/api/v1/dialogs/${peer}/typing`,
        { token },
      );
      assert.equal(t.status, 403);
      assert.equal(t.body.error.code, code);
    }

    const hist = await api<{ messages: { text: string }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs/a/messages",
      { token: b },
    );
    assert.deepEqual(hist.body.messages.map((m) => m.text), ["before the block"]);
    assert.deepEqual((await api(s.url, "GET", "/api/v1/unread", { token: b })).body, {
      total: 1,
      by_user: { a: 1 },
    });
    assert.equal(await currentSeq(kv, "a"), seqA);
    assert.equal(await currentSeq(kv, "b"), seqB);

    // The blocker's dialog list shows the flag; unblocking lets messages through again.
    const list = await api<{ dialogs: { peer: string; blocked: boolean; favourite: boolean }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs",
      { token: b },
    );
    assert.equal(list.body.dialogs[0].blocked, true);
    assert.equal(list.body.dialogs[0].favourite, false);
    await api(s.url, "DELETE", "/api/v1/blocks/a", { token: b });
    await send(s.url, a, "b", "after the unblock");
    await send(s.url, b, "a", "welcome back");
  } finally {
    await s.close();
  }
});

Deno.test("admins (and the system sender) cannot be blocked", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "boss" });
  try {
    const u = await login(s.url, "u");
    const boss = await login(s.url, "boss");
    for (const peer of ["boss", "system"]) {
      const r = await api<{ error: { code: string } }>(s.url, "PUT", `/api/v1/blocks/${peer}`, {
        token: u,
      });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, "cannot_block_admin");
    }
    assert.deepEqual(ids(await contacts(s, u, "tab=blocked")), []);
    // A block recorded before someone became an admin (or by a caller that skipped the check)
    // does not stop the admin.
    await setBlock(s.parley.deps.kv, "u", "boss", true);
    await send(s.url, boss, "u", "admin here");
    // Admins may block others.
    assert.deepEqual((await api(s.url, "PUT", "/api/v1/blocks/u", { token: boss })).body, {
      blocked: true,
    });
  } finally {
    await s.close();
  }
});

Deno.test("contacts: all = dialogs + favourites; search in Russian and English by name or login", async () => {
  const s = await startServer();
  try {
    const me = await login(s.url, "me");
    await profile(s, "u1", "Ёлка Иванова", "elka");
    await profile(s, "u2", "José Álvarez", "jalvarez");
    await profile(s, "u3", "Пётр", "petya");
    await profile(s, "u4", "Anna", "anna_k");
    await profile(s, "u5", "Blocked Bob", "bob");
    for (const u of ["u1", "u2", "u3"]) {
      await send(s.url, await login(s.url, u), "me", `hi from ${u}`);
    }
    await api(s.url, "PUT", "/api/v1/favourites/u4", { token: me });
    await api(s.url, "PUT", "/api/v1/favourites/u1", { token: me });
    await api(s.url, "PUT", "/api/v1/blocks/u5", { token: me });

    const all = await contacts(s, me, "tab=all");
    // Name order (folded): Latin before Cyrillic.
    assert.deepEqual(ids(all), ["u4", "u2", "u1", "u3"]);
    assert.equal(all.next_cursor, null);
    const elka = all.contacts[2];
    assert.deepEqual(Object.keys(elka).sort(), [
      "blocked",
      "favourite",
      "last_message",
      "last_seen",
      "online",
      "unread",
      "user",
    ]);
    assert.deepEqual(Object.keys(elka.user).sort(), [
      "age",
      "avatar_url",
      "city",
      "login",
      "name",
      "status",
      "user_id",
    ]);
    assert.equal(elka.user.name, "Ёлка Иванова");
    assert.equal(elka.favourite, true);
    assert.equal(elka.unread, 1);
    assert.equal(elka.last_message!.text, "hi from u1");
    assert.equal(elka.online, false);
    assert.equal(all.contacts[0].last_message, null); // u4: favourite, no dialog

    const search = async (q: string, tab = "all") =>
      ids(await contacts(s, me, `tab=${tab}&q=${encodeURIComponent(q)}`));
    assert.deepEqual(await search("елка"), ["u1"]);
    assert.deepEqual(await search("ЁЛКА"), ["u1"]);
    assert.deepEqual(await search("иванова"), ["u1"]);
    assert.deepEqual(await search("jose"), ["u2"]);
    assert.deepEqual(await search("ÁLVAREZ"), ["u2"]);
    assert.deepEqual(await search("петр"), ["u3"]);
    assert.deepEqual(await search("PETYA"), ["u3"]); // login
    assert.deepEqual(await search("anna_"), ["u4"]);
    assert.deepEqual(await search("a"), ["u4", "u2", "u1", "u3"]); // "a" is in every login
    assert.deepEqual(await search("nobody"), []);
    assert.deepEqual(await search("bob"), []); // blocked only: not in "all"
    assert.deepEqual(await search("bob", "blocked"), ["u5"]);
    assert.deepEqual(await search("елка", "favourites"), ["u1"]);
    assert.deepEqual(await search("anna", "favourites"), ["u4"]);

    // A rename through the manage API's upsert re-files the contact.
    await profile(s, "u3", "Пётр Великий", "petya");
    assert.deepEqual(await search("великии"), []);
    assert.deepEqual(await search("великий"), ["u3"]);

    for (
      const [q, field] of [["tab=friends", "tab"], ["cursor=zzz", "cursor"], ["limit=0", "limit"]]
    ) {
      const r = await api<{ error: { field: string } }>(s.url, "GET", `/api/v1/contacts?${q}`, {
        token: me,
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.field, field);
    }
  } finally {
    await s.close();
  }
});

Deno.test("contacts page past one page with a cursor, with and without a query", async () => {
  const s = await startServer();
  try {
    const me = await login(s.url, "me");
    const n = 130;
    const peers = Array.from({ length: n }, (_, i) => `p${String(i).padStart(3, "0")}`);
    for (const [i, p] of peers.entries()) {
      await profile(s, p, i % 2 ? `Анна ${p}` : `Bob ${p}`, `login_${p}`);
    }
    for (let i = 0; i < n; i += 10) {
      await Promise.all(peers.slice(i, i + 10).map((p) => send(s.url, me, p, "hello")));
    }
    const collect = async (query: string, limit: number) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page = await contacts(
          s,
          me,
          `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
        );
        assert.ok(page.contacts.length <= limit);
        seen.push(...ids(page));
        cursor = page.next_cursor;
        pages++;
      } while (cursor);
      return { seen, pages };
    };
    const all = await collect("tab=all", 50);
    assert.equal(all.pages, 3);
    assert.equal(all.seen.length, n);
    assert.equal(new Set(all.seen).size, n);
    const bobs = peers.filter((_, i) => i % 2 === 0);
    const annas = peers.filter((_, i) => i % 2 === 1);
    assert.deepEqual(all.seen, [...bobs, ...annas]); // "anna …" sorts after "bob …"
    const found = await collect("tab=all&q=%D0%B0%D0%BD%D0%BD%D0%B0", 20); // "анна"
    assert.deepEqual(found.seen, annas);
    assert.equal(found.pages, 4);
  } finally {
    await s.close();
  }
});

Deno.test("contacts in callback mode are named by the host site and follow its renames", async () => {
  const users: Record<string, Record<string, unknown>> = {
    "7": { user_id: 7, name: "Ёжик в тумане", login: "hedgehog" },
    "8": { user_id: 8, name: "Zoë", login: "zoe" },
  };
  const host = startHostSite(users, {});
  const s = await startServer({ PARLEY_USERS_INFO_URL: host.infoUrl, PARLEY_USER_CACHE_TTL: "0" });
  try {
    const me = await login(s.url, "me");
    await send(s.url, me, "7", "привет");
    await api(s.url, "PUT", "/api/v1/favourites/8", { token: me });
    const search = async (q: string) => ids(await contacts(s, me, `q=${encodeURIComponent(q)}`));
    assert.deepEqual(await search("ежик"), ["7"]);
    assert.deepEqual(await search("zoe"), ["8"]);
    users["7"] = { user_id: 7, name: "Медвежонок", login: "bear" };
    // The first listing after the rename shows (and re-files) the new profile.
    assert.equal(
      (await contacts(s, me, "")).contacts.find((c) => c.user.user_id === "7")!.user.name,
      "Медвежонок",
    );
    assert.deepEqual(await search("медвежонок"), ["7"]);
    assert.deepEqual(await search("ежик"), []);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("contacts: a rare query over a long list pages within a scan budget", async () => {
  const s = await startServer();
  try {
    const { kv, cfg } = s.parley.deps;
    const peers = Array.from({ length: 30 }, (_, i) => `q${String(i).padStart(2, "0")}`);
    for (const p of peers) {
      await profile(s, p, ["q03", "q17", "q29"].includes(p) ? `Needle ${p}` : `Hay ${p}`);
      await setFavourite(kv, "me", p, true);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listContacts(kv, cfg, "me", {
        tab: "favourites",
        q: "needle",
        limit: 2,
        cursor,
        budget: 10,
      });
      seen.push(...page.contacts.map((c) => c.user.user_id));
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    // Every match once, in order, though no request looked at more than 10 entries.
    assert.deepEqual(seen, ["q03", "q17", "q29"]);
    assert.ok(pages >= 3, `${pages} pages`);
  } finally {
    await s.close();
  }
});

Deno.test("contacts: forgetContacts removes a deleted user from every list", async () => {
  const s = await startServer();
  try {
    const { kv } = s.parley.deps;
    const a = await login(s.url, "a");
    const x = await login(s.url, "x");
    await send(s.url, x, "a", "hi");
    await api(s.url, "PUT", "/api/v1/favourites/x", { token: a });
    await api(s.url, "PUT", "/api/v1/favourites/a", { token: x });
    await api(s.url, "PUT", "/api/v1/blocks/b", { token: x });
    const ev = await SseClient.open(s.url, x);
    try {
      await ev.waitFor((e) => e.event === "ready");
    } finally {
      await ev.close();
    }
    // Let the stream's hello and goodbye land first, so nothing writes presence after the delete
    // (the record appears a moment after `ready`, and keeps last_seen once the stream is gone).
    const settled = async () => {
      const r = (await kv.get<PresenceRecord>(keys.presence("x"))).value;
      return r !== null && r.last_seen !== null && Object.keys(r.streams).length === 0;
    };
    while (!await settled()) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(ids(await contacts(s, a, "tab=favourites")), ["x"]);

    await forgetContacts(kv, "x");
    const left: string[] = [];
    for (const prefix of ["contact", "contact_idx", "contact_of", "contact_sync", "presence"]) {
      for await (const e of kv.list({ prefix: [prefix] })) {
        if (e.key.includes("x")) left.push(JSON.stringify(e.key));
      }
    }
    assert.deepEqual(left, []);
    assert.deepEqual(ids(await contacts(s, a, "tab=favourites")), []);
  } finally {
    await s.close();
  }
});
