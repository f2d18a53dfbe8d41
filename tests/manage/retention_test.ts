import assert from "node:assert/strict";
import { kvJson } from "../support/manage_helpers.ts";
import { keys, OWN } from "../../kv/keys.ts";
import { sweepRetention, ulidFloor } from "../../kv/privacy/retention.ts";
import { runMaintenance } from "../../services/jobs/maintenance.ts";
import { ulidTime } from "../../services/core/ids.ts";
import { api, login, send } from "../support/helpers.ts";
import { dumpKv, manage, startManaged } from "../support/manage_helpers.ts";

const DAY = 86_400_000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Dialogs = { dialogs: { peer: string; unread: number; last_message: { text: string } }[] };

Deno.test("retention: ulidFloor is the first id of its millisecond", () => {
  const t = Date.UTC(2031, 4, 6, 7, 8, 9, 123);
  assert.equal(ulidTime(ulidFloor(t)), t);
  assert.ok(ulidFloor(t) < ulidFloor(t + 1));
  assert.match(ulidFloor(t), /^[0-9A-Z]{10}0{16}$/);
});

Deno.test("retention: old messages go with their indexes; dialogs are repaired, emptied ones vanish", async () => {
  const s = await startManaged({ PARLEY_RETENTION_DAYS: "30" });
  const { kv, cfg } = s.parley.deps;
  try {
    const t: Record<string, string> = {};
    for (const u of ["alice", "bob", "carol", "dave"]) t[u] = await login(s.url, u);
    const old1 = await send(s.url, t.alice, "bob", "old from alice");
    const old2 = await send(s.url, t.bob, "alice", "old from bob");
    const oldC = await send(s.url, t.carol, "dave", "old carol to dave");
    await pause(5);
    const fresh = await send(s.url, t.alice, "bob", "fresh from alice");
    // Bob has read nothing: two unread from alice; alice has one unread from bob.
    assert.deepEqual((await manage(s.url, "GET", "/users/bob/unread")).body, {
      total: 2,
      by_user: { alice: 2 },
    });

    // Thirty days after the fresh message was sent, everything before it is past retention.
    const now = new Date(ulidTime(fresh.id) + 30 * DAY);
    assert.deepEqual(await sweepRetention(kv, cfg, now), { messages: 3, dialogs: 2 });

    const hist = await api<{ messages: { id: string }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs/alice/messages",
      { token: t.bob },
    );
    assert.deepEqual(hist.body.messages.map((m) => m.id), [fresh.id]);
    const bobList = await api<Dialogs>(s.url, "GET", "/api/v1/dialogs", { token: t.bob });
    assert.deepEqual(
      bobList.body.dialogs.map((d) => [d.peer, d.unread, d.last_message.text]),
      [["alice", 1, "fresh from alice"]],
    );
    assert.deepEqual((await manage(s.url, "GET", "/users/bob/unread")).body, {
      total: 1,
      by_user: { alice: 1 },
    });
    // Alice's one unread message (from bob) is gone, and so is her unread counter.
    assert.deepEqual((await manage(s.url, "GET", "/users/alice/unread")).body, {
      total: 0,
      by_user: {},
    });
    const aliceList = await api<Dialogs>(s.url, "GET", "/api/v1/dialogs", { token: t.alice });
    assert.deepEqual(aliceList.body.dialogs.map((d) => [d.peer, d.unread]), [["bob", 0]]);
    for (const u of ["carol", "dave"]) {
      const l = await api<Dialogs>(s.url, "GET", "/api/v1/dialogs", { token: t[u] });
      assert.deepEqual(l.body.dialogs, [], `${u}'s only dialog emptied`);
    }
    // Nothing but the expiring event-log copies still holds the old messages.
    const gone = [old1, old2, oldC].map((m) => m.id);
    for (const e of await dumpKv(kv)) {
      if (e.key[0] === OWN && e.key[2] === "ev") continue;
      // A user's "last active" marker is a time (as a ULID), not the message: it stays.
      if (e.key[0] === "adm_seen" || e.key[0] === "adm_sent") continue;
      const raw = kvJson([e.key, e.value]);
      for (const id of gone) assert.equal(raw.includes(id), false, `${id} in ${raw}`);
      assert.equal(raw.includes("old carol"), false);
    }
    assert.equal((await kv.get(keys.messageRef(fresh.id))).value !== null, true);

    // Running it again changes nothing; the manage endpoint runs it now.
    assert.deepEqual(await sweepRetention(kv, cfg, now), { messages: 0, dialogs: 0 });
    const r = await manage(s.url, "POST", "/retention/sweep");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { retention_days: 30, messages: 0, dialogs: 0 });
  } finally {
    await s.close();
  }
});

Deno.test("retention: off without PARLEY_RETENTION_DAYS", async () => {
  const s = await startManaged();
  try {
    await send(s.url, await login(s.url, "alice"), "bob", "kept");
    const far = new Date(Date.now() + 3650 * DAY);
    const { kv, cfg } = s.parley.deps;
    assert.deepEqual(await sweepRetention(kv, cfg, far), { messages: 0, dialogs: 0 });
    const r = await manage<{ error: { code: string } }>(s.url, "POST", "/retention/sweep");
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "retention_off");
  } finally {
    await s.close();
  }
});

Deno.test("maintenance: one run sweeps expired uploads and messages past retention", async () => {
  const s = await startManaged({ PARLEY_RETENTION_DAYS: "1" });
  const { kv, cfg } = s.parley.deps;
  try {
    const [a] = [await login(s.url, "a"), await login(s.url, "b")];
    const m = await send(s.url, a, "b", "soon gone");
    // A pending upload whose message never came (its parts were written, then the sender vanished).
    await kv.set(keys.uploadPending("01HZZZZZZZZZZZZZZZZZZZZZZZ"), {
      from: "a",
      to: "b",
      chunks: 0,
      size: 0,
      expires_at: 0,
    });
    const r = await runMaintenance(kv, cfg, new Date(ulidTime(m.id) + 2 * DAY));
    assert.deepEqual(r.last_result, {
      uploads: 1,
      retention: { messages: 1, dialogs: 1 },
      bans: 0,
    });
    assert.equal(r.last_run_ok, true);
    assert.equal(r.failures_in_a_row, 0);
    assert.equal((await kv.get(keys.messageRef(m.id))).value, null);
  } finally {
    await s.close();
  }
});
