/**
 * The bounded scans of the user search and the filtered audit log say how many entries each
 * request looked at (`scanned`), next to the `next_cursor` of a page that came back short or
 * empty, so the page can ask on and say how far it got.
 */
import assert from "node:assert/strict";
import { api, login, startServer } from "../support/helpers.ts";
import { seedAudit, seedUsers } from "../support/bounded_seed.ts";

type AuditPage = { audit: { id: string }[]; next_cursor: string | null; scanned: number };
type UserPage = {
  users: { user: { user_id: string } }[];
  next_cursor: string | null;
  scanned: number;
};

Deno.test("a filtered audit page reads at most 1,000 rows and says how many: short pages go on by cursor", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "boss" });
  try {
    const notes = await seedAudit(s.parley.deps.kv, 2500, [5, 1800]);
    const boss = await login(s.url, "boss");
    const pages: AuditPage[] = [];
    let cursor = "";
    do {
      const r = await api<AuditPage>(
        s.url,
        "GET",
        `/api/v1/admin/audit?action=user.note&limit=50${cursor && `&cursor=${cursor}`}`,
        { token: boss },
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      pages.push(r.body);
      cursor = r.body.next_cursor ?? "";
    } while (cursor);
    assert.deepEqual(pages.map((p) => [p.audit.length, p.scanned]), [[1, 1000], [1, 1000], [
      0,
      500,
    ]]);
    assert.deepEqual(pages.flatMap((p) => p.audit.map((a) => a.id)), notes);
    // Unfiltered: a page is full and reads its page (plus one to know there is more).
    const all = await api<AuditPage>(s.url, "GET", "/api/v1/admin/audit?limit=50", { token: boss });
    assert.deepEqual([all.body.audit.length, all.body.scanned], [50, 51]);
  } finally {
    await s.close();
  }
});

Deno.test("a user search request looks at at most 2,000 users and says how many", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "boss" });
  try {
    await seedUsers(s.parley.deps.kv, 2100, [5, 2050]);
    const boss = await login(s.url, "boss");
    const first = await api<UserPage>(s.url, "GET", "/api/v1/admin/users?q=needle&limit=20", {
      token: boss,
    });
    assert.deepEqual(first.body.users.map((u) => u.user.user_id), ["u0005"]);
    assert.equal(first.body.scanned, 2000);
    assert.ok(first.body.next_cursor);
    const second = await api<UserPage>(
      s.url,
      "GET",
      `/api/v1/admin/users?q=needle&limit=20&cursor=${first.body.next_cursor}`,
      { token: boss },
    );
    assert.deepEqual(second.body.users.map((u) => u.user.user_id), ["u2050"]);
    assert.equal(second.body.next_cursor, null);
    // Every seeded user looked at once (signing in stores no profile for boss here).
    assert.equal(first.body.scanned + second.body.scanned, 2100);
  } finally {
    await s.close();
  }
});
