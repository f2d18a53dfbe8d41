import assert from "node:assert/strict";
import { api, login, send, startServer } from "../support/helpers.ts";

type Msg = {
  id: string;
  from: string;
  to: string;
  text: string;
  created_at: string;
  read_at: string | null;
};

Deno.test("a sent message is stored and shows in both users' history and dialog lists", async () => {
  const s = await startServer();
  try {
    const alice = await login(s.url, "alice");
    const bob = await login(s.url, "bob");
    const r = await api<{ message: Msg }>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: alice,
      json: { text: "  Привет, Bob!  " },
    });
    assert.equal(r.status, 201);
    assert.match(r.headers.get("content-type")!, /application\/json/);
    const m = r.body.message;
    assert.deepEqual(Object.keys(m).sort(), ["created_at", "from", "id", "read_at", "text", "to"]);
    assert.equal(m.from, "alice");
    assert.equal(m.to, "bob");
    assert.equal(m.text, "Привет, Bob!");
    assert.equal(m.read_at, null);

    const hist = await api<{ messages: Msg[]; next_before: string | null }>(
      s.url,
      "GET",
      "/api/v1/dialogs/alice/messages",
      { token: bob },
    );
    assert.equal(hist.status, 200);
    assert.deepEqual(hist.body.messages.map((x) => x.id), [m.id]);
    assert.equal(hist.body.next_before, null);
    // The first page describes the peer (a dialog opened by id needs their name and presence).
    const card = (hist.body as unknown as { peer: Record<string, unknown> }).peer;
    assert.equal((card.user as { user_id: string }).user_id, "alice");
    assert.deepEqual([card.online, card.favourite, card.blocked], [false, false, false]);

    const list = await api<{ dialogs: { peer: string; unread: number; last_message: Msg }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs",
      { token: bob },
    );
    assert.equal(list.body.dialogs.length, 1);
    assert.equal(list.body.dialogs[0].peer, "alice");
    assert.equal(list.body.dialogs[0].unread, 1);
    assert.equal(list.body.dialogs[0].last_message.text, "Привет, Bob!");
  } finally {
    await s.close();
  }
});

Deno.test("dialog list puts unread dialogs first, then newest", async () => {
  const s = await startServer();
  try {
    const me = await login(s.url, "me");
    const peers = ["p1", "p2", "p3", "p4"];
    const tokens: Record<string, string> = {};
    for (const p of peers) tokens[p] = await login(s.url, p);
    // me writes to p1, p2, p3 (read, oldest to newest); p4 writes to me (unread) first of all.
    await send(s.url, tokens.p4, "me", "from p4");
    for (const p of ["p1", "p2", "p3"]) await send(s.url, me, p, `to ${p}`);
    const list = await api<{ dialogs: { peer: string; unread: number }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs",
      { token: me },
    );
    assert.deepEqual(list.body.dialogs.map((d) => d.peer), ["p4", "p3", "p2", "p1"]);
    // Paging the activity index with a cursor.
    const page1 = await api<{ dialogs: { peer: string }[]; next_cursor: string }>(
      s.url,
      "GET",
      "/api/v1/dialogs?limit=2",
      { token: me },
    );
    assert.deepEqual(page1.body.dialogs.map((d) => d.peer), ["p4", "p3"]);
    const page2 = await api<{ dialogs: { peer: string }[]; next_cursor: string | null }>(
      s.url,
      "GET",
      `/api/v1/dialogs?limit=2&cursor=${page1.body.next_cursor}`,
      { token: me },
    );
    assert.deepEqual(page2.body.dialogs.map((d) => d.peer), ["p2", "p1"]);
    assert.equal(page2.body.next_cursor, null);
  } finally {
    await s.close();
  }
});

Deno.test("history pages backwards over 260 messages with no gap or repeat", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    await login(s.url, "b");
    const sent: string[] = [];
    for (let i = 0; i < 260; i++) sent.push((await send(s.url, a, "b", `m${i}`)).id);
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const q: string = before ? `?limit=50&before=${before}` : "?limit=50";
      const r = await api<{ messages: Msg[]; next_before: string | null }>(
        s.url,
        "GET",
        `/api/v1/dialogs/b/messages${q}`,
        { token: a },
      );
      assert.equal(r.status, 200);
      const ids = r.body.messages.map((m) => m.id);
      assert.deepEqual(ids, [...ids].sort(), "oldest to newest within a page");
      seen.unshift(...ids);
      before = r.body.next_before;
      pages++;
    } while (before);
    assert.equal(pages, 6);
    assert.deepEqual(seen, sent);
  } finally {
    await s.close();
  }
});

Deno.test("50 concurrent sends into one dialog are all stored exactly once", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(s.url, i % 2 ? a : b, i % 2 ? "b" : "a", `c${i}`)),
    );
    assert.equal(new Set(results.map((m) => m.id)).size, 50);
    const r = await api<{ messages: Msg[] }>(s.url, "GET", "/api/v1/dialogs/b/messages?limit=200", {
      token: a,
    });
    const texts = r.body.messages.map((m) => m.text).sort();
    assert.deepEqual(texts, Array.from({ length: 50 }, (_, i) => `c${i}`).sort());
    const ua = await api<{ total: number }>(s.url, "GET", "/api/v1/unread", { token: a });
    const ub = await api<{ total: number }>(s.url, "GET", "/api/v1/unread", { token: b });
    assert.equal(ua.body.total, 25);
    assert.equal(ub.body.total, 25);
  } finally {
    await s.close();
  }
});

Deno.test("unread counts per sender and read receipts", async () => {
  const s = await startServer();
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const c = await login(s.url, "c");
    const m1 = await send(s.url, a, "c", "1");
    const m2 = await send(s.url, a, "c", "2");
    await send(s.url, b, "c", "3");
    let u = await api<{ total: number; by_user: Record<string, number> }>(
      s.url,
      "GET",
      "/api/v1/unread",
      {
        token: c,
      },
    );
    assert.deepEqual(u.body, { total: 3, by_user: { a: 2, b: 1 } });

    const r1 = await api<{ read: { unread: number } }>(s.url, "POST", "/api/v1/dialogs/a/read", {
      token: c,
      json: { up_to: m1.id },
    });
    assert.equal(r1.status, 200);
    assert.equal(r1.body.read.unread, 1);
    u = await api(s.url, "GET", "/api/v1/unread", { token: c });
    assert.deepEqual(u.body, { total: 2, by_user: { a: 1, b: 1 } });

    await api(s.url, "POST", "/api/v1/dialogs/a/read", { token: c, json: { up_to: m2.id } });
    u = await api(s.url, "GET", "/api/v1/unread", { token: c });
    assert.deepEqual(u.body, { total: 1, by_user: { b: 1 } });

    // The sender's history now dates both messages as read.
    const h = await api<{ messages: Msg[] }>(s.url, "GET", "/api/v1/dialogs/c/messages", {
      token: a,
    });
    assert.ok(h.body.messages.every((m) => typeof m.read_at === "string"));
    // Reading backwards is a no-op, not an error.
    const again = await api(s.url, "POST", "/api/v1/dialogs/a/read", {
      token: c,
      json: { up_to: m1.id },
    });
    assert.equal(again.status, 200);
    u = await api(s.url, "GET", "/api/v1/unread", { token: c });
    assert.equal((u.body as { total: number }).total, 1);
  } finally {
    await s.close();
  }
});
