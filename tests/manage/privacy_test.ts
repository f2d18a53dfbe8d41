import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { api, login, send, SseClient } from "../support/helpers.ts";
import { dumpKv, kvJson, manage, startManaged } from "../support/manage_helpers.ts";
import { startReceiver } from "../support/webhook_receiver.ts";
import { makePng } from "../support/image_fixtures.ts";

const SECRET = "whsec-test-0123456789abcdef";
type Msg = { id: string; from: string; to: string; text: string; kind?: string };

/**
 * A small world around `zed`: dialogs with alice (both ways, partly read), bob and the system
 * sender; unrelated dialogs alice-bob and bob-carol; profiles, a registered key, two sessions.
 */
async function world(url: string) {
  const t: Record<string, string> = {};
  for (const u of ["zed", "alice", "bob", "carol"]) t[u] = await login(url, u);
  const zedSession2 = await login(url, "zed");
  await manage(url, "PUT", "/users/zed", { json: { name: "Zed Zedov", city: "Omsk" } });
  await manage(url, "PUT", "/users/alice", { json: { name: "Alice" } });
  await manage(url, "POST", "/users/zed/login", { json: { user_key: "zed-site-hash" } });
  const zeds: Msg[] = [];
  zeds.push(await send(url, t.alice, "zed", "alice to zed 1") as Msg);
  zeds.push(await send(url, t.zed, "alice", "zed says hi") as Msg);
  zeds.push(await send(url, t.alice, "zed", "alice to zed 2") as Msg);
  zeds.push(await send(url, t.zed, "bob", "zed to bob") as Msg);
  const sys = await manage<{ message: Msg }>(url, "POST", "/users/zed/system-message", {
    json: { text: "Welcome, Zed" },
  });
  zeds.push(sys.body.message);
  await api(url, "POST", "/api/v1/dialogs/zed/read", {
    token: t.alice,
    json: { up_to: zeds[1].id },
  });
  await api(url, "POST", "/api/v1/dialogs/alice/read", {
    token: t.zed,
    json: { up_to: zeds[0].id },
  });
  // An image from alice to zed (attachment record + chunks), and complaints both ways.
  const form = new FormData();
  form.set("text", "alice sends zed a picture");
  form.set("image", new File([await makePng(40, 30)], "p.png", { type: "image/png" }));
  const img = await api<{ message: Msg }>(url, "POST", "/api/v1/dialogs/zed/messages", {
    token: t.alice,
    body: form,
  });
  if (img.status !== 201) throw new Error(`image upload ${img.status}`);
  zeds.push(img.body.message);
  for (const [by, about, message_id] of [["alice", "zed", zeds[1].id], ["zed", "alice", null]]) {
    const r = await api(url, "POST", "/api/v1/complaints", {
      token: t[by!],
      json: { user_id: about, message_id, reason: "spam" },
    });
    if (r.status !== 201) throw new Error(`complaint ${r.status} ${JSON.stringify(r.body)}`);
  }
  const others: Msg[] = [];
  others.push(await send(url, t.alice, "bob", "alice to bob, private") as Msg);
  others.push(await send(url, t.bob, "carol", "bob to carol") as Msg);
  others.push(await send(url, t.carol, "bob", "carol mentions zed by name") as Msg);
  // Relations both ways: zed favourites alice and blocks carol; bob favourites zed.
  await api(url, "PUT", "/api/v1/favourites/alice", { token: t.zed });
  await api(url, "PUT", "/api/v1/blocks/carol", { token: t.zed });
  await api(url, "PUT", "/api/v1/favourites/zed", { token: t.bob });
  await api(url, "GET", "/api/v1/contacts?q=a", { token: t.alice });
  const unrelated = await api(url, "POST", "/api/v1/complaints", {
    token: t.carol,
    json: { user_id: "bob", reason: "abuse", text: "unrelated complaint" },
  });
  if (unrelated.status !== 201) throw new Error(`complaint ${unrelated.status}`);
  return { t, zedSession2, zeds, others };
}

Deno.test("export holds exactly the user's data, and nothing of anyone else's dialogs", async () => {
  const s = await startManaged();
  try {
    const { zeds, others } = await world(s.url);
    const r = await manage<Record<string, unknown>>(s.url, "GET", "/users/zed/export");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type")!, /application\/json/);
    const x = r.body as {
      user_id: string;
      peers: string[];
      profile: Record<string, unknown>;
      registered_key: boolean;
      sessions: { count: number };
      messages: Msg[];
      dialogs: { peer: string; unread: number }[];
      unread: { total: number; by_user: Record<string, number> };
      events: { count: number };
      attachments: { id: string; message_id: string; from: string; to: string; size: number }[];
    };
    assert.deepEqual(Object.keys(x).sort(), [
      "attachments",
      "ban",
      "complaints",
      "contacts",
      "dialogs",
      "events",
      "exported_at",
      "messages",
      "peers",
      "profile",
      "registered_key",
      "sessions",
      "unread",
      "user_id",
    ]);
    assert.equal(x.user_id, "zed");
    assert.deepEqual(x.peers, ["alice", "bob", "system"]);
    assert.equal(x.profile.name, "Zed Zedov");
    assert.equal(x.profile.city, "Omsk");
    assert.equal(x.registered_key, true);
    assert.deepEqual(x.sessions, { count: 2 });
    assert.deepEqual(x.messages.map((m) => m.id).sort(), zeds.map((m) => m.id).sort());
    for (const m of x.messages) assert.ok(m.from === "zed" || m.to === "zed");
    assert.equal(x.messages.find((m) => m.kind === "system")?.text, "Welcome, Zed");
    assert.deepEqual(x.dialogs.map((d) => [d.peer, d.unread]).sort(), [
      ["alice", 2],
      ["bob", 0],
      ["system", 1],
    ]);
    assert.deepEqual(x.unread, (await manage(s.url, "GET", "/users/zed/unread")).body);
    assert.deepEqual(x.unread, { total: 3, by_user: { alice: 2, system: 1 } });
    const complaints = (x as unknown as { complaints: { reporter: string; target: string }[] })
      .complaints;
    const contacts =
      (x as unknown as { contacts: { peer: string; favourite: boolean; blocked: boolean }[] })
        .contacts.filter((c) => c.favourite || c.blocked)
        .map((c) => [c.peer, c.favourite, c.blocked]).sort();
    assert.deepEqual(contacts, [["alice", true, false], ["carol", false, true]]);
    assert.deepEqual(complaints.map((c) => `${c.reporter}>${c.target}`).sort(), [
      "alice>zed",
      "zed>alice",
    ]);
    assert.ok(x.events.count >= zeds.length);
    // The image alice sent zed: its record, pointing at its message.
    const withImage = zeds.filter((m) => (m as { attachment?: unknown }).attachment);
    assert.equal(withImage.length, 1);
    assert.deepEqual(
      x.attachments.map((a) => [a.message_id, a.from, a.to]),
      [[withImage[0].id, "alice", "zed"]],
    );
    assert.ok(x.attachments[0].size > 0);
    const raw = JSON.stringify(x);
    for (const m of others) assert.equal(raw.includes(m.text), false, m.text);
    // Secrets never leave: not the key, not its hash, not the session tokens.
    assert.equal(/zed-site-hash|[0-9a-f]{64}|token/.test(raw), false);
  } finally {
    await s.close();
  }
});

Deno.test("delete removes the user everywhere: no key in KV mentions them afterwards", async () => {
  // Webhooks by polling to a receiver that keeps failing, so the outbox holds zed's messages too.
  const rx = startReceiver(SECRET, { status: 500 });
  const s = await startManaged({
    PARLEY_WEBHOOK_URL: rx.url,
    PARLEY_WEBHOOK_SECRET: SECRET,
    PARLEY_WEBHOOK_DELIVERY: "poll",
    PARLEY_WEBHOOK_RETRY_BASE_MS: "60000",
    PARLEY_PRESENCE_GRACE_MS: "30",
  });
  const kv = s.parley.deps.kv;
  try {
    const { t, zedSession2, zeds, others } = await world(s.url);
    const before = await dumpKv(kv);
    const mentioning = (e: Deno.KvEntry<unknown>) =>
      e.key.includes("zed") || kvJson(e.value).includes('"zed"');
    assert.ok(before.filter(mentioning).length > 30, "the world mentions zed in many places");
    assert.ok(before.some((e) => e.key[0] === "webhook_outbox" && mentioning(e)));
    const aliceSse = await SseClient.open(s.url, t.alice);
    await aliceSse.waitFor((e) => e.event === "ready");
    // zed is online at the moment of the delete: the stream's late goodbye must not bring back
    // any trace of them.
    const zedSse = await SseClient.open(s.url, t.zed);
    await zedSse.waitFor((e) => e.event === "ready");
    while ((await kv.get(keys.presence("zed"))).value === null) {
      await new Promise((r) => setTimeout(r, 10));
    }

    const r = await manage(s.url, "DELETE", "/users/zed");
    assert.equal(r.status, 200);
    assert.equal(r.body.deleted, true);
    assert.ok((r.body.keys_deleted as number) > 30);

    await zedSse.done; // the server ends a revoked user's stream
    await new Promise((r) => setTimeout(r, 150)); // past the presence grace period
    const after = await dumpKv(kv);
    const left = after.filter(mentioning);
    assert.deepEqual(left.map((e) => e.key), [], "keys still mentioning zed");
    const texts = kvJson(after.map((e) => e.value));
    for (const m of zeds) assert.equal(texts.includes(m.text), false, m.text);
    // Everyone else's data is untouched.
    for (const m of others) assert.ok(texts.includes(m.text), m.text);
    assert.ok(texts.includes("unrelated complaint"), "other users' complaints stay");
    assert.equal(after.some((e) => e.key[0] === "att_chunk"), false, "zed's image chunks went");
    const aliceList = await api<{ dialogs: { peer: string }[] }>(s.url, "GET", "/api/v1/dialogs", {
      token: t.alice,
    });
    assert.deepEqual(aliceList.body.dialogs.map((d) => d.peer), ["bob"]);
    assert.deepEqual((await manage(s.url, "GET", "/users/alice/unread")).body, {
      total: 0,
      by_user: {},
    });
    assert.deepEqual((await manage(s.url, "GET", "/users/bob/unread")).body, {
      total: 2,
      by_user: { alice: 1, carol: 1 },
    });
    // Alice's open widget is told to refetch; zed's sessions and key are gone.
    await aliceSse.waitFor((e) => e.event === "reset");
    await aliceSse.close();
    for (const token of [t.zed, zedSession2]) {
      assert.equal((await api(s.url, "GET", "/api/v1/dialogs", { token })).status, 401);
    }
    assert.equal((await kv.get(keys.userKey("zed"))).value, null);
    // Deleting again is harmless.
    const again = await manage(s.url, "DELETE", "/users/zed");
    assert.equal(again.status, 200);
    assert.equal(again.body.keys_deleted, 0);
  } finally {
    await s.close({ erased: ["zed"] });
    await rx.close();
  }
});

Deno.test("export and delete refuse bad ids and the system sender", async () => {
  const s = await startManaged();
  try {
    for (const [method, path] of [["GET", "/users/system/export"], ["DELETE", "/users/system"]]) {
      const r = await manage<{ error: { code: string; field: string } }>(s.url, method, path);
      assert.equal(r.status, 400);
      assert.deepEqual([r.body.error.code, r.body.error.field], ["reserved_user_id", "id"]);
    }
    const bad = await manage<{ error: { code: string } }>(s.url, "DELETE", "/users/a.b");
    assert.equal(bad.body.error.code, "invalid_user_id");
  } finally {
    await s.close();
  }
});
