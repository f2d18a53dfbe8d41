/** Text search, exports and the filtered audit log over real HTTP. */
import assert from "node:assert/strict";
import { SEARCH_BUDGET } from "../../kv/moderation/message_search.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { api, login, seedProfile, send, startServer } from "../support/helpers.ts";

type M = { id: string; text: string; highlights: { matched: number[][]; filtered: unknown[][] } };
type Page = { messages: M[]; next_cursor: string | null };

Deno.test("searching message text: folded (ё = е, any case), within a user or dialog, highlighted, the masked words marked", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin", PARLEY_FILTER_WORDS: "дурак" });
  try {
    const admin = await login(s.url, "admin");
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    await send(s.url, a, "b", "Мой Ёжик спит");
    await send(s.url, b, "a", "ты дурак, ежик");
    await send(s.url, a, "c", "ЕЖИК у c");
    await send(s.url, a, "b", "nothing here");
    const get = (q: string) =>
      api<Page>(s.url, "GET", `/api/v1/admin/messages?${q}`, { token: admin });
    const all = await get("q=ежик");
    assert.deepEqual(all.body.messages.map((m) => m.text), [
      "ЕЖИК у c",
      "ты ***, ежик",
      "Мой Ёжик спит",
    ]);
    assert.deepEqual(all.body.messages[2].highlights.matched, [[4, 8]]);
    // The admin sees the original text; the word the filter masked is marked in it.
    assert.deepEqual(all.body.messages[1].highlights, {
      matched: [[10, 14]],
      filtered: [[3, 8, "word"]],
    });
    const dialog = await get("q=ЁЖИК&user=a&peer=b");
    assert.equal(dialog.body.messages.length, 2);
    const ofC = await get("q=ежик&user=c");
    assert.deepEqual(ofC.body.messages.map((m) => m.text), ["ЕЖИК у c"]);
    const long = await api<{ error: { code: string } }>(
      s.url,
      "GET",
      `/api/v1/admin/messages?q=${"x".repeat(101)}`,
      { token: admin },
    );
    assert.deepEqual([long.status, long.body.error.code], [400, "q_too_long"]);
  } finally {
    await s.close();
  }
});

Deno.test("a search reads a bounded slice of the index per request and pages on with a cursor", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const kv = s.parley.deps.kv;
    const admin = await login(s.url, "admin");
    await sendMessage(kv, { from: "a", to: "b", text: "needle old" });
    for (let i = 0; i < SEARCH_BUDGET + 20; i++) {
      await sendMessage(kv, { from: "a", to: "b", text: `hay ${i}` });
    }
    const first = await api<Page>(s.url, "GET", "/api/v1/admin/messages?q=needle", {
      token: admin,
    });
    // The budget ran out before the old message: an empty page that goes on.
    assert.deepEqual(first.body.messages, []);
    assert.ok(first.body.next_cursor);
    const second = await api<Page>(
      s.url,
      "GET",
      `/api/v1/admin/messages?q=needle&cursor=${first.body.next_cursor}`,
      {
        token: admin,
      },
    );
    assert.deepEqual(second.body.messages.map((m) => m.text), ["needle old"]);
    assert.equal(second.body.next_cursor, null);
  } finally {
    await s.close();
  }
});

Deno.test("exports stream every page as CSV (escaped, formula-guarded) and JSON; the audit log filters by actor, action and target", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin,admin2" });
  try {
    const kv = s.parley.deps.kv;
    await seedProfile(kv, "a", { name: 'Анна, "A"' });
    const admin = await login(s.url, "admin");
    const admin2 = await login(s.url, "admin2");
    const a = await login(s.url, "a");
    const evil = await send(s.url, a, "b", '=HYPERLINK("http://x")');
    for (let i = 0; i < 230; i++) await sendMessage(kv, { from: "a", to: "b", text: `m${i}` });
    const res = await fetch(`${s.url}/api/v1/admin/export/messages?format=csv&user=a`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/csv/);
    assert.match(
      res.headers.get("content-disposition")!,
      /^attachment; filename="parley-messages-\d+T\d+\.csv"$/,
    );
    const csv = await res.text();
    const lines = csv.trimEnd().split("\r\n");
    assert.equal(lines.length, 1 + 231, "header and every message across pages");
    assert.match(lines[0], /^id,created_at,from,from_name,to,to_name,text/);
    const row = lines.find((l) => l.startsWith(evil.id))!;
    assert.match(row, /,"Анна, ""A""",/);
    assert.match(row, /,"'=HYPERLINK\(""http:\/\/x""\)",/);
    const json = await api<{ id: string }[]>(
      s.url,
      "GET",
      "/api/v1/admin/export/messages?format=json&q=HYPERLINK",
      { token: admin },
    );
    assert.deepEqual(json.body.map((m) => m.id), [evil.id]);
    const bad = await api<{ error: { code: string } }>(
      s.url,
      "GET",
      "/api/v1/admin/export/messages?format=xml",
      { token: admin },
    );
    assert.deepEqual([bad.status, bad.body.error.code], [400, "invalid_format"]);

    await api(s.url, "PUT", "/api/v1/admin/bans/a", { token: admin, json: { reason: "+spam" } });
    await api(s.url, "DELETE", "/api/v1/admin/bans/a", { token: admin2 });
    await api(s.url, "DELETE", `/api/v1/admin/messages/${evil.id}`, { token: admin2 });
    const audit = (q: string) =>
      api<{ audit: { action: string; by: string }[] }>(s.url, "GET", `/api/v1/admin/audit?${q}`, {
        token: admin,
      });
    assert.deepEqual((await audit("by=admin2")).body.audit.map((r) => r.action), [
      "message.delete",
      "user.unban",
    ]);
    assert.deepEqual((await audit("action=user.ban")).body.audit.map((r) => r.by), ["admin"]);
    assert.deepEqual((await audit("action=user.")).body.audit.map((r) => r.action), [
      "user.unban",
      "user.ban",
    ]);
    // A user is the target of their ban and of the deletion of their message.
    assert.equal((await audit("target=a")).body.audit.length, 3);
    assert.equal((await audit("target=b&action=user.")).body.audit.length, 0);
    const auditCsv = await (await fetch(`${s.url}/api/v1/admin/export/audit?by=admin&format=csv`, {
      headers: { authorization: `Bearer ${admin}` },
    })).text();
    const auditLines = auditCsv.trimEnd().split("\r\n");
    assert.equal(auditLines.length, 2);
    assert.match(auditLines[1], /,user\.ban,a,'\+spam,/);
    const complaints = await api<unknown[]>(
      s.url,
      "GET",
      "/api/v1/admin/export/complaints?format=json",
      { token: admin },
    );
    assert.deepEqual(complaints.body, []);
  } finally {
    await s.close();
  }
});
