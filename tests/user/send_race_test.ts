/**
 * A ban or a block that lands while sends are in flight wins: no message commits after it (the
 * check is part of the send's atomic). Commits are ordered by versionstamp, so "after" is exact.
 */
import assert from "node:assert/strict";
import { api, login } from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";
import { keys, pair } from "../../kv/keys.ts";

/** Fires `n` sends alice -> bob while `act` runs half-way; returns the statuses. */
async function sendsAround(base: string, token: string, n: number, act: () => Promise<unknown>) {
  const statuses: number[] = [];
  const one = async (i: number) => {
    const r = await api(base, "POST", "/api/v1/dialogs/bob/messages", {
      token,
      json: { text: `m${i}` },
    });
    statuses.push(r.status);
  };
  const first = Array.from({ length: n / 2 }, (_, i) => one(i));
  await new Promise((r) => setTimeout(r, 5));
  const acted = act();
  const second = Array.from({ length: n / 2 }, (_, i) => one(n / 2 + i));
  await Promise.all([...first, ...second, acted]);
  return statuses;
}

async function committedAfter(kv: Deno.Kv, stamp: string): Promise<number> {
  let late = 0;
  for await (const e of kv.list({ prefix: keys.messages(pair("alice", "bob")) })) {
    if (e.versionstamp > stamp) late++;
  }
  return late;
}

for (const round of [1]) {
  Deno.test(`no send commits after a ban that raced it (round ${round})`, async () => {
    const s = await startManaged();
    try {
      const alice = await login(s.url, "alice");
      const statuses = await sendsAround(
        s.url,
        alice,
        60,
        () => manage(s.url, "PUT", "/users/alice/ban", { json: { reason: "race" } }),
      );
      assert.ok(statuses.every((x) => x === 201 || x === 403), String(statuses));
      const kv = s.parley.deps.kv;
      const ban = await kv.get(keys.ban("alice"));
      assert.equal(await committedAfter(kv, ban.versionstamp!), 0);
    } finally {
      await s.close();
    }
  });

  Deno.test(`no send commits after a block that raced it (round ${round})`, async () => {
    const s = await startManaged();
    try {
      const alice = await login(s.url, "alice");
      const statuses = await sendsAround(
        s.url,
        alice,
        60,
        () => manage(s.url, "PUT", "/users/bob/blocks/alice"),
      );
      assert.ok(statuses.every((x) => x === 201 || x === 403), String(statuses));
      const kv = s.parley.deps.kv;
      const block = await kv.get(keys.contact("bob", "alice"));
      assert.equal(await committedAfter(kv, block.versionstamp!), 0);
    } finally {
      await s.close();
    }
  });
}

Deno.test("banned and read-only users cannot send typing events", async () => {
  const s = await startManaged();
  try {
    const [alice, carol] = [await login(s.url, "alice"), await login(s.url, "carol")];
    await manage(s.url, "PUT", "/users/alice/ban");
    const banned = await api<{ error: { code: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/bob/typing",
      { token: alice },
    );
    assert.equal(banned.status, 403);
    assert.equal(banned.body.error.code, "banned");
    await manage(s.url, "PUT", "/users/carol", {
      json: { name: "Carol", error: "Your account is read-only" },
    });
    const readOnly = await api<{ error: { code: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/bob/typing",
      { token: carol },
    );
    assert.equal(readOnly.status, 403);
    assert.equal(readOnly.body.error.code, "read_only");
    let typing = 0;
    for await (const e of s.parley.deps.kv.list({ prefix: keys.events("bob") })) {
      if ((e.value as { type: string }).type === "typing") typing++;
    }
    assert.equal(typing, 0);
  } finally {
    await s.close();
  }
});
