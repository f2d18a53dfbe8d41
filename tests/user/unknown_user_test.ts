/** Writing to someone the host site does not have (its users-info callback leaves them out). */
import assert from "node:assert/strict";
import { api, login, startHostSite, startServer } from "../support/helpers.ts";

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
