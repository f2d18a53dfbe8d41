/**
 * The Star.Comet-Chat history import against a real MariaDB (Debian's mariadb-server, started by
 * tests/support/mariadb.ts) loaded with the original's database.sql and generated rows, run as
 * the CLI a site owner runs (`deno task import:star-comet`), then checked through Parley's public
 * API over real HTTP: history in order with the original times and read ticks, unread counts,
 * favourites and blocks, images, cached translations, and the admins' complaints.
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { dyingKv } from "../support/dying_kv.ts";
import { runImport } from "../../services/migration/run.ts";
import { api, login, SseClient, startServer } from "../support/helpers.ts";
import { startMariaDb } from "../support/mariadb.ts";
import { generate, type GeneratedData, load } from "../support/star_comet_data.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface CliReport {
  dry_run: boolean;
  tables: Record<
    string,
    { read: number; imported: number; skipped: number; skipped_because: Record<string, number> }
  >;
  problems: Record<string, { count: number; examples: string[] }>;
}

/** `deno task import:star-comet <args> --json`, as a site owner runs it; returns the report. */
async function cli(args: string[]): Promise<CliReport> {
  const out = await new Deno.Command("deno", {
    args: ["task", "--quiet", "import:star-comet", ...args, "--json"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  // Not a terminal: plain progress lines with a rate and an ETA.
  assert.match(stderr, /messages \d[\d,]*\/[\d,]+ \d+% [\d,]+\/s ETA \d\d:\d\d/);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

type Entry = { key: Deno.KvKey; value: unknown };

/**
 * Every entry, with what legitimately differs between two imports of the same rows removed:
 * the checkpoints' dates, contacts' update times, and the hourly activity counters as in - out.
 */
async function dump(path: string): Promise<Map<string, unknown>> {
  const kv = await Deno.openKv(path);
  const out = new Map<string, unknown>();
  const net = new Map<string, bigint>();
  for await (const e of kv.list({ prefix: [] }) as AsyncIterable<Entry>) {
    if (e.key[0] === "adm_act") {
      const h = String(e.key[1]);
      const v = (e.value as Deno.KvU64).value;
      net.set(h, (net.get(h) ?? 0n) + (e.key[2] === "in" ? v : -v));
      continue;
    }
    let v = e.value;
    if (v && typeof v === "object" && !(v instanceof Uint8Array)) {
      const { at: _at, updated_at: _u, ...rest } = v as Record<string, unknown>;
      v = rest;
    }
    out.set(JSON.stringify(e.key), v);
  }
  for (const [h, n] of net) if (n !== 0n) out.set(`adm_act ${h}`, n);
  kv.close();
  return out;
}

/** What user `me` should see with `peer`: the pair's valid rows in the original's time order. */
function expectedHistory(d: GeneratedData, me: number, peer: number) {
  return d.messages
    .filter((m) =>
      (m.from_user_id === me && m.to_user_id === peer) ||
      (m.from_user_id === peer && m.to_user_id === me)
    )
    .sort((a, b) => a.time - b.time || a.id - b.id);
}

const iso = (s: number) => new Date(s * 1000).toISOString();

interface Msg {
  id: string;
  from: string;
  text: string;
  created_at: string;
  read_at: string | null;
  attachment?: { id: string; type: string; size: number };
}

async function history(url: string, token: string, peer: number): Promise<Msg[]> {
  const all: Msg[] = [];
  let before = "";
  while (true) {
    const r = await api<{ messages: Msg[]; next_before: string | null }>(
      url,
      "GET",
      `/api/v1/dialogs/${peer}/messages?limit=200${before ? `&before=${before}` : ""}`,
      { token },
    );
    assert.equal(r.status, 200);
    all.unshift(...r.body.messages);
    if (!r.body.next_before) return all;
    before = r.body.next_before;
  }
}

Deno.test("import: a Star.Comet-Chat database in MariaDB becomes Parley history", async (t) => {
  const db = await startMariaDb();
  const files = await Deno.makeTempDir({ prefix: "chatFiles-" });
  const work = await Deno.makeTempDir({ prefix: "parley-import-" });
  const kvPath = `${work}/parley.sqlite`;
  try {
    const d = await generate(
      { users: 40, dialogs: 150, messages: 10_000, imageEvery: 97, start: 1_454_284_800 },
      files,
    );
    await load(db.root, d);
    const args = ["--mysql", db.url, "--files", files, "--kv", kvPath];

    await t.step("a dry run reports what it would do and writes nothing", async () => {
      const r = await cli([...args, "--dry-run"]);
      assert.equal(r.dry_run, true);
      assert.equal(r.tables.messages.read, 10_003);
      assert.equal(r.tables.messages.imported, 10_002);
      assert.equal(r.problems.missing_image.count, 1);
      await assert.rejects(Deno.stat(kvPath), Deno.errors.NotFound);
    });

    let first: Map<string, unknown>;
    await t.step("the import reports every table and each problem with the row", async () => {
      const r = await cli(args);
      assert.deepEqual(r.tables.messages, {
        read: 10_003,
        imported: 10_002,
        skipped: 1,
        skipped_because: { self_message: 1 },
      });
      assert.equal(r.tables.users.imported, d.users.length);
      assert.equal(r.tables.abuse.imported, 2);
      assert.equal(r.tables.messages_translate.imported, 2);
      assert.deepEqual(
        Object.fromEntries(Object.entries(r.problems).map(([k, v]) => [k, v.count])),
        {
          avatar_dropped: 1,
          missing_image: 1,
          bad_image: 1,
          self_message: 1,
          orphan_translation: 1,
          duplicate_complaint: 1,
        },
      );
      assert.match(
        r.problems.missing_image.examples[0],
        new RegExp(`${d.missingImage}: not found`),
      );
      first = await dump(kvPath);
    });

    await t.step(
      "users see their history, ticks, unread counts, favourites and blocks",
      async () => {
        const s = await startServer({
          PARLEY_KV_PATH: kvPath,
          PARLEY_ADMIN_IDS: "1",
          // Configured but unreachable: a translation can only come from the imported cache.
          PARLEY_TRANSLATE_PROVIDER: "libretranslate",
          PARLEY_TRANSLATE_URL: "http://127.0.0.1:9/translate",
        });
        try {
          const two = await login(s.url, "2");
          const seen = await history(s.url, two, 3);
          const want = expectedHistory(d, 2, 3);
          assert.equal(seen.length, want.length);
          seen.forEach((m, i) => {
            const row = want[i];
            const said = d.plain.get(row.id)!;
            assert.equal(m.from, String(row.from_user_id));
            assert.equal(m.text, said.text, `row ${row.id}`);
            assert.equal(m.created_at, iso(row.time));
            // The ticks: the read time the original recorded, on both sides.
            assert.equal(m.read_at, row.read_time ? iso(row.read_time) : null, `row ${row.id}`);
            assert.equal(Boolean(m.attachment), Boolean(said.image), `row ${row.id}`);
          });
          const withImage = seen.find((m) => m.attachment)!;
          const bytes = await fetch(`${s.url}/api/v1/attachments/${withImage.attachment!.id}`, {
            headers: { authorization: `Bearer ${two}` },
          });
          const name = d.plain.get(want[seen.indexOf(withImage)].id)!.image!;
          assert.deepEqual(new Uint8Array(await bytes.arrayBuffer()), d.images.get(name));

          // Unread counts as the original's read_time says, per dialog and in total.
          const unread = new Map<string, number>();
          for (const m of d.messages) {
            if (m.to_user_id === 2 && m.from_user_id !== 2 && !m.read_time) {
              unread.set(String(m.from_user_id), (unread.get(String(m.from_user_id)) ?? 0) + 1);
            }
          }
          const total = [...unread.values()].reduce((a, b) => a + b, 0);
          const summary = await api<{ total: number; by_user: Record<string, number> }>(
            s.url,
            "GET",
            "/api/v1/unread",
            { token: two },
          );
          assert.deepEqual(summary.body, { total, by_user: Object.fromEntries(unread) });
          const list = await api<
            { dialogs: { peer: string; unread: number; user: { login: string } }[] }
          >(
            s.url,
            "GET",
            "/api/v1/dialogs?limit=200",
            { token: two },
          );
          const peers = new Set(
            d.messages.filter((m) => m.from_user_id === 2 || m.to_user_id === 2)
              .map((m) => String(m.from_user_id === 2 ? m.to_user_id : m.from_user_id)),
          );
          assert.equal(list.body.dialogs.length, peers.size);
          for (const dl of list.body.dialogs) assert.equal(dl.unread, unread.get(dl.peer) ?? 0);
          assert.equal(list.body.dialogs.find((x) => x.peer === "3")!.user.login, "user3");

          // A relative avatar is kept as written, for the original's user_avatar_url_tpl prefix.
          const withFour = d.messages.find((m) => m.from_user_id === 4 || m.to_user_id === 4)!;
          const other = String(
            withFour.from_user_id === 4 ? withFour.to_user_id : withFour.from_user_id,
          );
          const ofOther = await api<
            {
              dialogs: {
                peer: string;
                user: { avatar_url: string | null; avatar_path?: string };
              }[];
            }
          >(s.url, "GET", "/api/v1/dialogs?limit=200", { token: await login(s.url, other) });
          const four = ofOther.body.dialogs.find((x) => x.peer === "4")!.user;
          assert.deepEqual([four.avatar_url, four.avatar_path], [null, "img/avatar4.png"]);

          // Favourites and blocks from users_relations: 2 likes 3 and blocks 5.
          const tab = async (name: string) =>
            (await api<{ contacts: { user: { user_id: string } }[] }>(
              s.url,
              "GET",
              `/api/v1/contacts?tab=${name}&limit=200`,
              { token: two },
            )).body.contacts.map((c) => c.user.user_id);
          assert.ok((await tab("favourites")).includes("3"));
          assert.ok((await tab("blocked")).includes("5"));
          assert.ok((await tab("all")).includes("3"));
          const five = await login(s.url, "5");
          const refused = await api(s.url, "POST", "/api/v1/dialogs/2/messages", {
            token: five,
            json: { text: "hello?" },
          });
          assert.equal(refused.status, 403);

          // The original's cached translation answers without calling the provider.
          const msg2 = seen[want.findIndex((r) => r.id === 2)];
          const tr = await api(s.url, "POST", `/api/v1/messages/${msg2.id}/translate`, {
            token: two,
            json: { lang: "en" },
          });
          assert.deepEqual(tr.body, { text: "All good, thanks", lang: "en", provider: "yandex" });

          // Old messages woke nobody: user 2's event log is empty.
          const stream = await SseClient.open(s.url, two);
          const ready = await stream.waitFor((e) => e.event === "ready");
          assert.equal((ready.data as { cursor: number }).cursor, 0);
          await stream.close();

          // Admins see the complaints (abuse rows), the repeated one once.
          const admin = await login(s.url, "1");
          const queue = await api<
            { complaints: { reporter: string; user_id: string; created_at: string }[] }
          >(
            s.url,
            "GET",
            "/api/v1/admin/complaints",
            { token: admin },
          );
          assert.deepEqual(
            queue.body.complaints.map((c) => [c.reporter, c.user_id, c.created_at]),
            [["2", "5", iso(d.abuse[1].time)], ["3", "2", iso(d.abuse[0].time)]],
          );
        } finally {
          await s.close();
        }
      },
    );

    await t.step("running it again imports nothing", async () => {
      const r = await cli(args);
      for (const [table, c] of Object.entries(r.tables)) {
        assert.deepEqual(c, { read: 0, imported: 0, skipped: 0, skipped_because: {} }, table);
      }
    });

    await t.step("an import killed twice continues and ends exactly like one run", async () => {
      const path = `${work}/resumed.sqlite`;
      const kv = await Deno.openKv(path);
      try {
        const opts = { mysql: db.url, files, dryRun: false, pageSize: 700, window: 1500 };
        // Once among the messages' own keys, once while dialogs are being merged.
        for (const after of [40, 75]) {
          await assert.rejects(runImport({ ...opts, kv: dyingKv(kv, after) }), /killed/);
        }
        const mid = (await kv.get(keys.importCheckpoint("star-comet", "messages"))).value;
        assert.ok(mid, "the killed runs left a checkpoint to continue from");
        const r = await runImport({ ...opts, kv });
        assert.ok(r.tables.messages.read < 10_003, "it continued, not restarted");
      } finally {
        kv.close();
      }
      const resumed = await dump(path);
      assert.deepEqual([...resumed.keys()].sort(), [...first!.keys()].sort());
      for (const [k, v] of first!) assert.deepEqual(resumed.get(k), v, k);
    });
  } finally {
    await db.close();
    await Deno.remove(files, { recursive: true });
    await Deno.remove(work, { recursive: true });
  }
});
