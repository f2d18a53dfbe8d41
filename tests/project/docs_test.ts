/**
 * The site-owner docs are executable: every `<!-- run: manage -->` curl example runs against a
 * real Parley, and every `<!-- snippet: … -->` PHP/Node/Python block runs in its language against
 * real keys, real webhook signatures and a real Parley in callback mode. A language whose
 * interpreter is missing is skipped (CI installs php-cli and python3 to run them all).
 */
import assert from "node:assert/strict";
import { signedUserKey } from "../../services/host/auth.ts";
import { signWebhook } from "../../services/webhooks/events.ts";
import { api, API_SECRET, AUTH_SECRET, login, send, startServer } from "../support/helpers.ts";
import { startManaged } from "../support/manage_helpers.ts";
import { startReceiver } from "../support/webhook_receiver.ts";

// The README holds the integration snippets; docs/site-owners.md the API and webhook examples.
const DOC = (await Promise.all(
  ["../../README.md", "../../docs/site-owners.md"].map((f) =>
    Deno.readTextFile(new URL(f, import.meta.url))
  ),
)).join("\n");

/** The fenced blocks that follow `<!-- kind: name -->` markers, in document order. */
function blocks(kind: "snippet" | "run"): { name: string; code: string }[] {
  const out: { name: string; code: string }[] = [];
  const re = new RegExp(
    `<!-- ${kind}: ([\\w-]+) -->\\n\\s*\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``,
    "g",
  );
  for (const m of DOC.matchAll(re)) out.push({ name: m[1], code: m[2] });
  return out;
}
function snippet(name: string): string {
  const found = blocks("snippet").find((b) => b.name === name);
  if (!found) throw new Error(`docs have no snippet ${name}`);
  return found.code;
}

async function has(cmd: string): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}
const LANGS = { php: await has("php"), node: await has("node"), python: await has("python3") };

/** Runs a program in `lang` with stdin; returns trimmed stdout (fails the test on exit != 0). */
async function run(lang: keyof typeof LANGS, code: string, args: string[] = [], input = "") {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/main.${{ php: "php", node: "mjs", python: "py" }[lang]}`;
    await Deno.writeTextFile(file, code);
    const bin = { php: "php", node: "node", python: "python3" }[lang];
    const child = new Deno.Command(bin, { args: [file, ...args], stdin: "piped", stdout: "piped" })
      .spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(input));
    await w.close();
    const out = await child.output();
    assert.equal(out.code, 0, `${lang} exited ${out.code}`);
    return new TextDecoder().decode(out.stdout).trim();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const KEY_HARNESS = {
  php: (s: string) => `${s}\necho parley_user_key($argv[1], $argv[2]);\n`,
  node: (s: string) => `${s}\nconsole.log(parleyUserKey(process.argv[2], process.argv[3]));\n`,
  python: (s: string) => `${s}\nimport sys\nprint(parley_user_key(sys.argv[1], sys.argv[2]))\n`,
};
const VERIFY_HARNESS = {
  php: (s: string) =>
    `${s}\n$in = json_decode(file_get_contents('php://stdin'), true);\n` +
    `echo parley_verify($in['secret'], $in['header'], $in['body']) ? 'true' : 'false';\n`,
  node: (s: string) =>
    `${s}\nlet raw = ""; for await (const c of process.stdin) raw += c;\nconst i = JSON.parse(raw);\n` +
    `console.log(String(parleyVerify(i.secret, i.header, Buffer.from(i.body, "utf8"))));\n`,
  python: (s: string) =>
    `${s}\nimport json, sys\ni = json.load(sys.stdin)\n` +
    `print("true" if parley_verify(i["secret"], i["header"], i["body"].encode()) else "false")\n`,
};

Deno.test("docs: every curl example of the management API runs against a real Parley", async () => {
  const s = await startManaged({ PARLEY_RETENTION_DAYS: "365" });
  const dir = await Deno.makeTempDir();
  try {
    const examples = blocks("run");
    assert.equal(examples.length, 13, "one example per management call");
    const outputs: string[] = [];
    for (const { code } of examples) {
      const out = await new Deno.Command("bash", {
        args: ["-euo", "pipefail", "-c", code],
        cwd: dir,
        env: { PARLEY_URL: s.url, PARLEY_API_SECRET: API_SECRET },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `${code}\n${err}`);
      outputs.push(new TextDecoder().decode(out.stdout));
    }
    // The examples ran in order: profile, key, system message, then the unread count shows it.
    assert.deepEqual(JSON.parse(outputs[3]), { total: 1, by_user: { system: 1 } });
    assert.deepEqual(JSON.parse(outputs[4]), { user_id: "42", online: false, last_seen: null });
    const exported = JSON.parse(await Deno.readTextFile(`${dir}/user-42.json`));
    assert.equal(exported.profile.name, "Лена");
    assert.equal(exported.messages[0].text, "Your order has shipped");
  } finally {
    await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

for (const lang of ["php", "node", "python"] as const) {
  Deno.test({
    name: `docs: the ${lang} snippets compute the signed key and verify real webhooks`,
    ignore: !LANGS[lang],
    async fn() {
      const key = await run(lang, KEY_HARNESS[lang](snippet(`key-${lang}`)), [AUTH_SECRET, "42"]);
      assert.equal(key, await signedUserKey(AUTH_SECRET, "42"));

      const secret = "whsec-docs-0123456789abcdef";
      const rx = startReceiver(secret);
      const s = await startManaged({ PARLEY_WEBHOOK_URL: rx.url, PARLEY_WEBHOOK_SECRET: secret });
      try {
        // The key the snippet computed signs user 42 in.
        const session = await api(s.url, "POST", "/api/v1/session", {
          json: { user_id: "42", user_key: key },
        });
        assert.equal(session.status, 200);
        await send(s.url, await login(s.url, "7"), "42", 'Привет, "Лена"! 👋');
        const [got] = await rx.waitFor(1);
        const header = got.headers.get("x-parley-signature")!;
        const verify = (input: unknown) =>
          run(lang, VERIFY_HARNESS[lang](snippet(`verify-${lang}`)), [], JSON.stringify(input));
        assert.equal(await verify({ secret, header, body: got.body }), "true");
        const tampered = got.body.replace("Лена", "Лёна");
        assert.equal(await verify({ secret, header, body: tampered }), "false");
        assert.equal(
          await verify({ secret: "wrong-secret-0123456789", header, body: got.body }),
          "false",
        );
        const stale = await signWebhook(secret, Math.floor(Date.now() / 1000) - 600, got.body);
        assert.equal(await verify({ secret, header: stale, body: got.body }), "false");
        assert.equal(await verify({ secret, header: "garbage", body: got.body }), "false");
      } finally {
        await s.close();
        await rx.close();
      }
    },
  });
}

/** The site's own lookups the callback snippets call, in each language. */
const STUBS = {
  php: `<?php
function find_users($ids) {
  $all = ['1' => ['id' => 1, 'name' => 'Виктор', 'login' => 'victor', 'avatar_url' => 'https://example.com/v.png', 'city' => 'Владивосток', 'age' => 24, 'status' => 'active', 'banned' => false],
          '2' => ['id' => 2, 'name' => 'Лена', 'login' => 'lena', 'avatar_url' => null, 'city' => '', 'age' => null, 'status' => '', 'banned' => true]];
  return array_values(array_filter(array_map(fn($id) => $all[$id] ?? null, $ids)));
}
function user_hash($id) { return in_array($id, ['1', '2'], true) ? "hash-$id-0123456789abcdef" : ''; }
`,
  node: `const ALL = {
  "1": { id: 1, name: "Виктор", login: "victor", avatarUrl: "https://example.com/v.png", city: "Владивосток", age: 24, status: "active", banned: false },
  "2": { id: 2, name: "Лена", login: "lena", avatarUrl: null, city: "", age: null, status: "", banned: true },
};
function findUsers(ids) { return ids.map((id) => ALL[id]).filter(Boolean); }
function userHash(id) { return ALL[id] ? "hash-" + id + "-0123456789abcdef" : ""; }
`,
  python: `ALL = {
    "1": {"id": 1, "name": "Виктор", "login": "victor", "avatar_url": "https://example.com/v.png", "city": "Владивосток", "age": 24, "status": "active", "banned": False},
    "2": {"id": 2, "name": "Лена", "login": "lena", "avatar_url": None, "city": "", "age": None, "status": "", "banned": True},
}
def find_users(ids): return [ALL[i] for i in ids if i in ALL]
def user_hash(user_id): return "hash-" + user_id + "-0123456789abcdef" if user_id in ALL else ""
`,
};

/** Writes the snippet site for `lang` into `dir`; returns its command and the two callback paths. */
async function callbackSite(lang: keyof typeof STUBS, dir: string, port: number) {
  if (lang === "php") {
    await Deno.writeTextFile(`${dir}/stubs.php`, STUBS.php);
    await Deno.writeTextFile(`${dir}/chat_get_users.php`, snippet("callback-php-users"));
    await Deno.writeTextFile(`${dir}/chat_get_user_hash.php`, snippet("callback-php-hash"));
    const args = ["-d", `auto_prepend_file=${dir}/stubs.php`, "-S", `127.0.0.1:${port}`, "-t", dir];
    return { bin: "php", args, users: "/chat_get_users.php", hash: "/chat_get_user_hash.php" };
  }
  const file = `${dir}/site.${lang === "node" ? "mjs" : "py"}`;
  await Deno.writeTextFile(file, STUBS[lang] + snippet(`callback-${lang}`));
  return {
    bin: lang === "node" ? "node" : "python3",
    args: [file],
    users: "/chat/users",
    hash: "/chat/hash",
  };
}

for (const lang of ["php", "node", "python"] as const) {
  Deno.test({
    name: `docs: the ${lang} callback handlers serve a real Parley in callback mode`,
    ignore: !LANGS[lang],
    async fn() {
      const dir = await Deno.makeTempDir();
      const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = free.addr.port;
      free.close();
      const site = await callbackSite(lang, dir, port);
      const child = new Deno.Command(site.bin, {
        args: site.args,
        env: { CHAT_CALLBACK_TOKEN: "tok-123", PORT: String(port) },
        stdout: "null",
        stderr: "null",
      }).spawn();
      const base = `http://127.0.0.1:${port}`;
      let s: Awaited<ReturnType<typeof startServer>> | undefined;
      try {
        for (let i = 0;; i++) {
          try {
            (await Deno.connect({ hostname: "127.0.0.1", port })).close();
            break;
          } catch (e) {
            if (i > 200) throw e;
            await new Promise((r) => setTimeout(r, 25));
          }
        }
        // Without the token the callbacks refuse.
        const denied = await fetch(base + site.hash, {
          method: "POST",
          body: new URLSearchParams({ id: "1" }),
        });
        await denied.body?.cancel();
        assert.equal(denied.status, 403);

        s = await startServer({
          PARLEY_AUTH_SECRET: "",
          PARLEY_USERS_INFO_URL: `${base}${site.users}?token=tok-123`,
          PARLEY_USERS_HASH_URL: `${base}${site.hash}?token=tok-123`,
        });
        type Session = {
          user: {
            name: string;
            city: string;
            avatar_url: string;
            read_only: boolean;
            error: string;
          };
        };
        const ok = await api<Session>(s.url, "POST", "/api/v1/session", {
          json: { user_id: 1, user_key: "hash-1-0123456789abcdef" },
        });
        assert.equal(ok.status, 200);
        assert.equal(ok.body.user.name, "Виктор");
        assert.equal(ok.body.user.city, "Владивосток");
        assert.equal(ok.body.user.avatar_url, "https://example.com/v.png");
        assert.equal(ok.body.user.read_only, false);
        const banned = await api<Session>(s.url, "POST", "/api/v1/session", {
          json: { user_id: "2", user_key: "hash-2-0123456789abcdef" },
        });
        assert.equal(banned.status, 200);
        assert.deepEqual([banned.body.user.read_only, banned.body.user.error], [
          true,
          "Account suspended",
        ]);
        const wrong = await api(s.url, "POST", "/api/v1/session", {
          json: { user_id: "1", user_key: "hash-2-0123456789abcdef" },
        });
        assert.equal(wrong.status, 401);
      } finally {
        await s?.close();
        child.kill("SIGTERM");
        await child.status;
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
