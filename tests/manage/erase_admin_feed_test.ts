/**
 * An erase and this process's admin log (kv/moderation/admin_feed.ts): the monitor's event of a
 * send that committed just before the erase is appended some milliseconds after the send. The
 * erase waits for those appends before it looks, so none is left behind its last pass.
 */
import assert from "node:assert/strict";
import { ADMIN_LOG, publishAdmin } from "../../kv/moderation/admin_feed.ts";
import { keys } from "../../kv/keys.ts";
import { eraseUser } from "../../kv/privacy/erase.ts";
import { mentions } from "../../kv/privacy/families.ts";
import { openKv } from "../../kv/open.ts";
import { removeKvFile } from "../support/helpers.ts";

/** `kv`, except that commits writing the admin log wait `ms` first (a loaded machine). */
function slowAdminLog(kv: Deno.Kv, ms: number): Deno.Kv {
  const prefix = JSON.stringify(keys.events(ADMIN_LOG)).slice(0, -1);
  return new Proxy(kv, {
    get(target, prop) {
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          let admin = false;
          const set = op.set.bind(op);
          op.set = (key, value, o) => {
            admin ||= JSON.stringify(key).startsWith(prefix);
            return set(key, value, o);
          };
          const commit = op.commit.bind(op);
          op.commit = async () => {
            if (admin) await new Promise((r) => setTimeout(r, ms));
            return await commit();
          };
          return op;
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

Deno.test("erase: an admin-log event of the user still being appended is erased too", async () => {
  const path = await Deno.makeTempFile({ prefix: "parley-erase-feed-", suffix: ".sqlite" });
  const base = await openKv(path);
  const kv = slowAdminLog(base, 300);
  try {
    await kv.set(keys.user("v"), { id: "v", name: "V" });
    // The send's monitor event, queued as a send queues it (not awaited), then the erase.
    const appended = publishAdmin(kv, [{
      type: "message",
      data: { id: "01J0000000000000000000000V", from: "v", to: "p1", text: "hello" },
    }]);
    await eraseUser(kv, "v");
    await appended;
    const left = (await Array.fromAsync(kv.list({ prefix: keys.events(ADMIN_LOG) })))
      .filter((e) => mentions(e as Deno.KvEntry<unknown>, "v"));
    assert.deepEqual(left.map((e) => e.key), [], "an admin-log event still names the erased user");
  } finally {
    base.close();
    await removeKvFile(path);
  }
});
