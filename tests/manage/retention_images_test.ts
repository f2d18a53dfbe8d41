/**
 * Retention over messages that carry images: every atomic stays under KV's 1,000 mutations, a
 * sweep that dies half-way is finished by the next, and a failing scheduled run is visible.
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { sweepRetention } from "../../kv/privacy/retention.ts";
import { runMaintenance } from "../../services/jobs/maintenance.ts";
import { ulidTime } from "../../services/core/ids.ts";
import { api, login, send } from "../support/helpers.ts";
import { concat, makePng } from "../support/image_fixtures.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

const DAY = 86_400_000;

/** `n` messages from a to b, each with a ~200 KB image (4 parts): ~11 keys per message. */
async function sendImages(base: string, token: string, n: number): Promise<string[]> {
  const bytes = concat(await makePng(10, 10), new Uint8Array(200 * 1024));
  const ids: string[] = [];
  for (let i = 0; i < n; i += 10) {
    const wave = Array.from({ length: Math.min(10, n - i) }, async (_, j) => {
      const form = new FormData();
      form.set("text", `old ${i + j}`);
      form.set("image", new File([bytes], "p.png", { type: "image/png" }));
      const r = await api<{ message: { id: string } }>(base, "POST", "/api/v1/dialogs/b/messages", {
        token,
        body: form,
      });
      assert.equal(r.status, 201);
      return r.body.message.id;
    });
    ids.push(...await Promise.all(wave));
  }
  return ids.sort();
}

async function count(kv: Deno.Kv, prefix: Deno.KvKey): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix })) n++;
  return n;
}

/** The same KV, except that commit number `failAt` (1-based) throws, as a dying process would. */
function failingKv(kv: Deno.Kv, failAt: number): Deno.Kv {
  let commits = 0;
  return new Proxy(kv, {
    get(target, prop) {
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => {
            if (++commits === failAt) return Promise.reject(new Error("simulated crash"));
            return commit();
          };
          return op;
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

Deno.test("retention with images: 110 old image messages go in atomics under KV's limits", async () => {
  const s = await startManaged({ PARLEY_RETENTION_DAYS: "30" });
  const { kv, cfg } = s.parley.deps;
  try {
    const a = await login(s.url, "a");
    await login(s.url, "b");
    const ids = await sendImages(s.url, a, 110);
    const fresh = await send(s.url, a, "b", "fresh");
    const now = new Date(ulidTime(fresh.id) + 30 * DAY);
    assert.deepEqual(await sweepRetention(kv, cfg, now), { messages: 110, dialogs: 1 });
    assert.equal(await count(kv, keys.attachments()), 0);
    assert.equal(await count(kv, ["att_chunk"]), 0);
    assert.equal(await count(kv, keys.adminAttachments()), 0);
    assert.equal((await kv.get(keys.messageRef(ids[0]))).value, null);
    const list = await api<{ dialogs: { last_message: { text: string }; unread: number }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs",
      { token: await login(s.url, "b") },
    );
    assert.deepEqual(list.body.dialogs.map((d) => [d.last_message.text, d.unread]), [["fresh", 1]]);
  } finally {
    await s.close();
  }
});

Deno.test("retention is resumable: a sweep that dies half-way is finished by the next run", async () => {
  const s = await startManaged({ PARLEY_RETENTION_DAYS: "30" });
  const { kv, cfg } = s.parley.deps;
  try {
    const a = await login(s.url, "a");
    await login(s.url, "b");
    await sendImages(s.url, a, 30);
    const last = await send(s.url, a, "b", "kept");
    const now = new Date(ulidTime(last.id) + 30 * DAY - 1);
    // The deletions commit, then the process dies before the dialog is repaired.
    await assert.rejects(sweepRetention(failingKv(kv, 2), cfg, now), /simulated crash/);
    assert.ok(await count(kv, keys.retentionRepairs()) > 0, "the dialog is marked for repair");
    const dying = await manage<Record<string, unknown>>(s.url, "GET", "/maintenance");
    assert.equal(dying.body.last_run_ok, null, "a bare sweep does not write the job status");

    // The scheduled run fails the same way: logged, and visible through the manage API.
    const failed = await runMaintenance(failingKv(kv, 1), cfg, now);
    assert.equal(failed.last_run_ok, false);
    const status = await manage<{
      last_run_ok: boolean;
      last_error: { job: string; message: string };
      failures_in_a_row: number;
      retention_days: number;
    }>(s.url, "GET", "/maintenance");
    assert.equal(status.status, 200);
    assert.equal(status.body.last_run_ok, false);
    assert.deepEqual(status.body.last_error.job, "retention");
    assert.match(status.body.last_error.message, /simulated crash/);
    assert.equal(status.body.failures_in_a_row, 1);
    assert.equal(status.body.retention_days, 30);

    const ok = await runMaintenance(kv, cfg, now);
    assert.equal(ok.last_run_ok, true);
    assert.equal(ok.failures_in_a_row, 0);
    assert.equal(ok.last_error?.job, "retention", "the last error stays on record");
    assert.equal(await count(kv, keys.retentionRepairs()), 0);
    assert.equal(await count(kv, ["att_chunk"]), 0);
    const side = (await kv.get<{ last_id: string; unread: number }>(keys.dialog("b", "a"))).value!;
    assert.deepEqual([side.last_id, side.unread], [last.id, 1]);
  } finally {
    await s.close();
  }
});
