/**
 * Erasing a user keeps the moderation record (who did what, to what, when, why) but not the
 * message content the record quoted (issue 11, item 14).
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { deleteMessage } from "../../kv/moderation/actions.ts";
import type { AuditRow } from "../../kv/moderation/audit.ts";
import { login, send } from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

Deno.test("erase keeps audit rows about the user, without the message text they quoted", async () => {
  const srv = await startManaged({ PARLEY_ADMIN_IDS: "mod" });
  try {
    const kv = srv.parley.deps.kv;
    const zed = await login(srv.url, "zed");
    await login(srv.url, "alice");
    const m = await send(srv.url, zed, "alice", "секретный текст zed");
    const deleted = await deleteMessage(kv, m.id, "mod", "spam");
    assert.ok(deleted);
    const before = (await kv.get<AuditRow>(keys.audit(deleted.audit.id))).value!;
    assert.equal(before.details?.text, "секретный текст zed");

    const r = await manage(srv.url, "DELETE", "/users/zed");
    assert.equal(r.status, 200, JSON.stringify(r.body));

    const after = (await kv.get<AuditRow>(keys.audit(deleted.audit.id))).value;
    assert.ok(after, "the moderation record is kept");
    assert.equal(after.by, "mod");
    assert.equal(after.action, "message.delete");
    assert.equal(after.note, "spam");
    assert.equal(after.details?.from, "zed");
    assert.equal(after.details?.text, undefined);
    assert.equal(after.details?.content_erased, true);
    assert.doesNotMatch(JSON.stringify(after), /секретный/);
  } finally {
    await srv.close();
  }
});
