/**
 * Presence only across a relationship: a stranger who opens a dialog sees the name and avatar,
 * not online or last seen; someone the user blocked sees neither in history, dialogs or contacts,
 * and hears no presence events.
 */
import assert from "node:assert/strict";
import { api, login, seedProfile, send, SseClient, startServer } from "../support/helpers.ts";

type Presence = { online: boolean; last_seen: string | null };
type Peer = Presence & { user: { name: string } };

Deno.test("presence: hidden from strangers and from those the user blocked", async () => {
  const s = await startServer({ PARLEY_PRESENCE_GRACE_MS: "100" });
  const streams: SseClient[] = [];
  const open = async (token: string) => {
    const c = await SseClient.open(s.url, token);
    streams.push(c);
    await c.waitFor((e) => e.event === "ready");
    return c;
  };
  try {
    await seedProfile(s.parley.deps.kv, "a", { name: "Alice" });
    const [a, b, c, d] = await Promise.all(["a", "b", "c", "d"].map((u) => login(s.url, u)));
    await send(s.url, b, "a", "hi from b");
    await send(s.url, d, "a", "hi from d");
    const watchB = await open(b);
    const watchD = await open(d);
    const tabA = await open(a);
    const isOnline = (e: { event: string; data: unknown }) =>
      e.event === "presence" && (e.data as Presence).online;
    await watchB.waitFor(isOnline);
    await watchD.waitFor(isOnline);
    const peerOf = async (token: string) =>
      (await api<{ peer: Peer }>(s.url, "GET", "/api/v1/dialogs/a/messages", { token })).body.peer;

    // A partner sees it; a stranger sees the name only.
    assert.equal((await peerOf(b)).online, true);
    const stranger = await peerOf(c);
    assert.equal(stranger.user.name, "Alice");
    assert.deepEqual([stranger.online, stranger.last_seen], [false, null]);

    // Alice blocks Bob: her presence is gone from everything Bob reads.
    assert.equal((await api(s.url, "PUT", "/api/v1/blocks/b", { token: a })).status, 200);
    const hist = await peerOf(b);
    assert.deepEqual([hist.online, hist.last_seen], [false, null]);
    const list = await api<{ dialogs: ({ peer: string } & Presence)[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs",
      { token: b },
    );
    const row = list.body.dialogs.find((x) => x.peer === "a")!;
    assert.deepEqual([row.online, row.last_seen], [false, null]);
    const contacts = await api<{ contacts: ({ user: { user_id: string } } & Presence)[] }>(
      s.url,
      "GET",
      "/api/v1/contacts",
      { token: b },
    );
    const card = contacts.body.contacts.find((x) => x.user.user_id === "a")!;
    assert.deepEqual([card.online, card.last_seen], [false, null]);

    // Alice leaves: Dana hears it, Bob does not.
    const heardByB = watchB.ofType("presence").length;
    await tabA.close();
    await watchD.waitFor((e) => e.event === "presence" && !(e.data as Presence).online);
    await send(s.url, d, "b", "marker");
    await watchB.waitFor((e) => e.event === "message");
    assert.equal(watchB.ofType("presence").length, heardByB);
    // Dana still sees when Alice was last seen; the stranger, once in a dialog, does too.
    assert.ok((await peerOf(d)).last_seen);
    await send(s.url, c, "a", "hello Alice");
    assert.ok((await peerOf(c)).last_seen);
  } finally {
    for (const x of streams) await x.close();
    await s.close();
  }
});
