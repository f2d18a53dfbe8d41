/**
 * Search in a dialog's history over real HTTP: case- and ё-insensitive, members only, paged by a
 * scan budget so a dialog of 20,000 messages is searched in several short requests.
 */
import assert from "node:assert/strict";
import { type ImportedMessage, MessageImport } from "../../kv/messaging/import_batch.ts";
import { SCAN_LIMIT } from "../../kv/messaging/search.ts";
import { importedUlid } from "../../services/core/ids.ts";
import { api, login, send, startServer } from "../support/helpers.ts";

type Msg = { id: string; text: string };
type Page = { messages: Msg[]; next_cursor: string | null; scanned: number };
const search = (peer: string, q: string, cursor?: string) =>
  `/api/v1/dialogs/${peer}/search?q=${encodeURIComponent(q)}${cursor ? `&cursor=${cursor}` : ""}`;

Deno.test("search: case-insensitive, ё = е, newest first, the caller's own dialog only", async () => {
  const s = await startServer({ PARLEY_MASK_PHONES: "1" });
  try {
    const [alice, bob, carol] = await Promise.all(
      ["alice", "bob", "carol"].map((u) => login(s.url, u)),
    );
    await send(s.url, alice, "bob", "Купим ЁЛКУ завтра?");
    await send(s.url, bob, "alice", "ничего общего");
    await send(s.url, bob, "alice", "ёлку уже купил, звони 8 912 345 67 89");
    await send(s.url, carol, "alice", "елка у carol");
    const r = await api<Page>(s.url, "GET", search("bob", "Елку"), { token: alice });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.messages.map((m) => m.text), [
      "ёлку уже купил, звони ***",
      "Купим ЁЛКУ завтра?",
    ]);
    assert.equal(r.body.next_cursor, null);
    // The masked phone is not searchable (only what members see is).
    const masked = await api<Page>(s.url, "GET", search("bob", "345"), { token: alice });
    assert.deepEqual(masked.body.messages, []);
    // Carol's dialog with bob has nothing of alice's.
    const other = await api<Page>(s.url, "GET", search("bob", "елку"), { token: carol });
    assert.deepEqual(other.body.messages, []);
    for (
      const [q, code] of [["", "invalid_q"], ["   ", "invalid_q"], ["x".repeat(101), "invalid_q"]]
    ) {
      const bad = await api<{ error: { code: string } }>(s.url, "GET", search("bob", q), {
        token: alice,
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, code);
    }
    const cursor = await api<{ error: { code: string } }>(s.url, "GET", search("bob", "a", "zzz"), {
      token: alice,
    });
    assert.equal(cursor.body.error.code, "invalid_cursor");
    assert.equal((await api(s.url, "GET", search("alice", "a"), { token: alice })).status, 400);
  } finally {
    await s.close();
  }
});

Deno.test("search: 20,000 messages are read at most SCAN_LIMIT per request, following the cursor", async () => {
  const s = await startServer();
  try {
    const t0 = Date.parse("2025-01-01T00:00:00Z");
    const rows: ImportedMessage[] = Array.from({ length: 20_000 }, (_, n) => ({
      source_id: n + 1,
      message: {
        id: importedUlid(t0 + n * 1000, "M", n + 1),
        from: n % 2 ? "alice" : "bob",
        to: n % 2 ? "bob" : "alice",
        // The word is in the oldest message and in one in the middle.
        text: n === 0
          ? "the first НОВОГОДНЯЯ ёлка"
          : n === 12_345
          ? "a ёлочка? no: ёлка"
          : `message ${n}`,
        created_at: new Date(t0 + n * 1000).toISOString(),
        read_at: null,
      },
    }));
    const writer = new MessageImport(s.parley.deps.kv);
    for (let i = 0; i < rows.length; i += 2000) await writer.add(rows.slice(i, i + 2000), () => {});
    await writer.flush();
    const alice = await login(s.url, "alice");
    const found: string[] = [];
    let cursor: string | undefined;
    let requests = 0;
    do {
      const r = await api<Page>(s.url, "GET", search("bob", "ЕЛКА", cursor), { token: alice });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.scanned <= SCAN_LIMIT, `one request read ${r.body.scanned} messages`);
      found.push(...r.body.messages.map((m) => m.text));
      cursor = r.body.next_cursor ?? undefined;
      requests++;
    } while (cursor);
    assert.deepEqual(found, ["a ёлочка? no: ёлка", "the first НОВОГОДНЯЯ ёлка"]);
    // Twenty full budgets; the last may have to look once more to learn the history is done.
    assert.ok(requests >= 20 && requests <= 21, `${requests} requests`);
  } finally {
    await s.close();
  }
});
