/**
 * docs/migration.md is executable: its environment file configures a real Parley, its SQL runs
 * in a real MariaDB holding the original's schema and data, its shell commands (the dry run, the
 * import, the rollback copies) run as written with the example names swapped for this machine's,
 * and its PHP log-in/log-out functions run in PHP against that Parley.
 */
import assert from "node:assert/strict";
import { api, login, startServer } from "../support/helpers.ts";
import { startMariaDb } from "../support/mariadb.ts";
import { generate, load } from "../support/star_comet_data.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DOC = await Deno.readTextFile(new URL("docs/migration.md", `file://${ROOT}`));

/** The fenced blocks after `<!-- run: kind -->`, in document order. */
function blocks(kind: string): string[] {
  const re = new RegExp(`<!-- run: ${kind} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``, "g");
  return [...DOC.matchAll(re)].map((m) => m[1]);
}

async function has(cmd: string): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

Deno.test({
  name: "docs/migration.md: every command and snippet runs, from settings to rollback",
  ignore: !(await has("php")),
  async fn() {
    const db = await startMariaDb();
    const files = await Deno.makeTempDir({ prefix: "chatFiles-" });
    const work = await Deno.makeTempDir({ prefix: "parley-migration-" });
    const kvPath = `${work}/parley.sqlite`;
    try {
      const data = await generate(
        { users: 12, dialogs: 10, messages: 300, imageEvery: 30, start: 1_454_284_800 },
        files,
      );
      await load(db.root, data);
      // The guide's example names, and what they are here.
      const names: [string, string][] = [
        ["db.example.com:3306", `127.0.0.1:${db.port}`],
        ["/var/www/site/chatFiles", files],
        ["/var/lib/parley/parley.sqlite", kvPath],
        ["203.0.113.10", "127.0.0.1"],
        ["PORT=8000", "PORT=0"],
      ];
      const local = (code: string, more: [string, string][] = []) => {
        for (const [from, to] of [...names, ...more]) code = code.replaceAll(from, to);
        return code;
      };
      const sh = async (code: string) => {
        const out = await new Deno.Command("bash", {
          args: ["-euo", "pipefail", "-c", local(code)],
          cwd: ROOT,
          env: { NO_COLOR: "1" },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(out.stdout);
        assert.equal(out.code, 0, `${code}\n${new TextDecoder().decode(out.stderr)}`);
        return text;
      };

      // Step 1: the environment file is a configuration Parley starts with.
      const [envFile] = blocks("migration-env");
      const env = Object.fromEntries(
        local(envFile).split("\n").map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
      assert.equal(env.PARLEY_KV_PATH, kvPath);
      let parley = await startServer(env);
      await parley.close(); // Parley deployed with an empty KV, then stopped for the import.

      // Step 5: the read-only user, the rehearsal, the backup, the import.
      const [sql] = blocks("migration-sql");
      await db.root.query(`USE starcomet; ${sql}`);
      const [dryRun, importRun, backup, restore] = blocks("migration");
      const before = await Deno.readFile(kvPath);
      const dry = await sh(dryRun);
      assert.match(dry, /Dry run: nothing was written/);
      assert.match(dry, /messages\s+303\s+302\s+1/);
      assert.deepEqual(await Deno.readFile(kvPath), before, "the dry run wrote nothing");
      await sh(backup);
      const done = await sh(importRun);
      assert.match(done, /Import finished/);
      assert.match(done, /missing_image: 1/);

      // The switched site: history is there; the PHP log-in/log-out drive Parley's sessions.
      parley = await startServer(env);
      try {
        const two = await login(parley.url, "2");
        const dialogs = await api<{ dialogs: unknown[] }>(parley.url, "GET", "/api/v1/dialogs", {
          token: two,
        });
        assert.ok(dialogs.body.dialogs.length > 0);

        const [php] = blocks("migration-php");
        const harness = local(php, [["https://chat.example.com", parley.url]]) +
          `\nfunction getUserHash($id) { return "hash-of-" . $id . "-0123456789"; }\n` +
          `echo json_encode(sendUserLoginInfo($argv[1] ?? 42)), "\\n";\n`;
        const file = `${work}/login.php`;
        await Deno.writeTextFile(file, harness);
        const loggedIn = await new Deno.Command("php", { args: [file, "42"], stdout: "piped" })
          .output();
        assert.equal(
          new TextDecoder().decode(loggedIn.stdout).trim(),
          '{"user_id":"42","logged_in":true}',
        );
        const session = await api<{ token: string }>(parley.url, "POST", "/api/v1/session", {
          json: { user_id: "42", user_key: "hash-of-42-0123456789" },
        });
        assert.equal(session.status, 200);
        await Deno.writeTextFile(
          file,
          harness.replace("sendUserLoginInfo($argv[1] ?? 42)", "sendUserExitInfo(42)"),
        );
        const out = await new Deno.Command("php", { args: [file], stdout: "piped" }).output();
        assert.match(new TextDecoder().decode(out.stdout), /"logged_in":false/);
        const after = await api(parley.url, "GET", "/api/v1/unread", {
          token: session.body.token,
        });
        assert.equal(after.status, 401);
      } finally {
        await parley.close();
      }

      // Rollback: the copy from before the import puts the KV back as it was.
      await sh(restore);
      assert.deepEqual(await Deno.readFile(kvPath), before);
    } finally {
      await db.close();
      await Deno.remove(files, { recursive: true });
      await Deno.remove(work, { recursive: true });
    }
  },
});
