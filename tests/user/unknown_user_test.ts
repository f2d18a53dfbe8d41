/** Writing to someone the host site does not have (its users-info callback leaves them out). */
import assert from "node:assert/strict";
import { api, login, startHostSite, startServer } from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

Deno.test("a message to a user the host does not know is refused with 404 unknown_user", async () => {
  const host = startHostSite({ bob: { user_id: "bob", name: "Bob", login: "bob" } }, {});
  const s = await startServer({ PARLEY_USERS_INFO_URL: host.infoUrl });
  try {
    const alice = await login(s.url, "alice");
    const r = await api(s.url, "POST", "/api/v1/dialogs/999/messages", {
      token: alice,
      json: { text: "hello?" },
    });
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, {
      error: { code: "unknown_user", message: "the host site has no such user", field: "peer" },
    });
    // Nothing was stored: no dialog appears, and the history says the peer is unknown.
    const list = await api<{ dialogs: unknown[] }>(s.url, "GET", "/api/v1/dialogs", {
      token: alice,
    });
    assert.deepEqual(list.body.dialogs, []);
    const h = await api<{ messages: unknown[]; peer: { unknown?: boolean } }>(
      s.url,
      "GET",
      "/api/v1/dialogs/999/messages",
      { token: alice },
    );
    assert.deepEqual(h.body.messages, []);
    assert.equal(h.body.peer.unknown, true);
    // A user the host knows is fine.
    const ok = await api(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: alice,
      json: { text: "hello" },
    });
    assert.equal(ok.status, 201);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("a host that fails does not make its users unknown (messaging keeps working)", async () => {
  const host = startHostSite({}, {}, { infoBody: () => "not json" });
  const s = await startServer({ PARLEY_USERS_INFO_URL: host.infoUrl });
  try {
    const alice = await login(s.url, "alice");
    const r = await api(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: alice,
      json: { text: "hello" },
    });
    assert.equal(r.status, 201);
  } finally {
    await s.close();
    await host.close();
  }
});

Deno.test("a refused send asks the host nothing: a banned sender, a repeated client id", async () => {
  const host = startHostSite({
    alice: { user_id: "alice", name: "Alice", login: "alice" },
    bob: { user_id: "bob", name: "Bob", login: "bob" },
  }, {});
  const s = await startManaged({ PARLEY_USERS_INFO_URL: host.infoUrl });
  try {
    const alice = await login(s.url, "alice");
    const send = (json: Record<string, unknown>) =>
      api<{ message: { id: string } }>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
        token: alice,
        json,
      });
    // Bob's profile is not cached yet: a send that gets through asks the host for it.
    host.calls.info.length = 0;
    const first = await send({ text: "hello", client_id: "client-0001" });
    assert.equal(first.status, 201);
    assert.ok(host.calls.info.some((u) => u.includes("bob")), JSON.stringify(host.calls.info));
    // Carol's is not cached either. A copy of a stored send is answered from its record, and a
    // banned sender is refused, both before the host would be asked about the recipient.
    const toCarol = (json: Record<string, unknown>) =>
      api(s.url, "POST", "/api/v1/dialogs/carol/messages", { token: alice, json });
    host.calls.info.length = 0;
    const again = await send({ text: "hello", client_id: "client-0001" });
    assert.equal(again.status, 200);
    assert.equal(again.body.message.id, first.body.message.id);
    await manage(s.url, "PUT", "/users/alice/ban");
    const banned = await toCarol({ text: "hi" });
    assert.equal(banned.status, 403);
    const typing = await api(s.url, "POST", "/api/v1/dialogs/carol/typing", { token: alice });
    assert.equal(typing.status, 403);
    assert.deepEqual(host.calls.info, [], "the host was asked about a refused send");
  } finally {
    await s.close();
    await host.close();
  }
});
