/** The import's flags: `--kv` defaults, a remote KV's token, the password kept off the command. */
import assert from "node:assert/strict";
import { parseCli } from "../../services/migration/cli.ts";

const BASE = [
  "--mysql",
  "mysql://reader@db.example.com:3306/starcomet",
  "--files",
  "/srv/chatFiles",
];

Deno.test("import flags: --kv falls back to PARLEY_KV_PATH; MYSQL_PWD fills in the password", () => {
  const a = parseCli(BASE, {
    PARLEY_KV_PATH: "/var/lib/parley/kv.sqlite",
    MYSQL_PWD: "p@ss:Пароль",
  });
  assert.equal(a.kv, "/var/lib/parley/kv.sqlite");
  assert.equal(decodeURIComponent(new URL(a.mysql).password), "p@ss:Пароль");
  assert.equal(a.dryRun, false);
  // A password in the URL wins over MYSQL_PWD.
  const b = parseCli(
    ["--mysql", "mariadb://reader:inline@db:3306/x", "--files", "f", "--kv", "k", "--dry-run"],
    { MYSQL_PWD: "other" },
  );
  assert.equal(new URL(b.mysql).password, "inline");
  assert.equal(new URL(b.mysql).protocol, "mysql:");
  assert.equal(b.kv, "k");
  assert.equal(b.dryRun, true);
});

Deno.test("import flags: what is refused, with the reason", () => {
  const refused = (args: string[], env: Record<string, string> = {}, why: RegExp) =>
    assert.throws(() => parseCli(args, env), why);
  refused(["--files", "f", "--kv", "k"], {}, /--mysql must be a mysql:\/\//);
  refused(["--mysql", "postgres://x/y", "--files", "f", "--kv", "k"], {}, /--mysql must be/);
  refused(["--mysql", "mysql://x/y", "--kv", "k"], {}, /--files must name/);
  refused(BASE, {}, /--kv is missing and PARLEY_KV_PATH is not set/);
  refused(
    [...BASE, "--kv", "https://api.deno.com/v2/databases/abc/connect"],
    {},
    /DENO_KV_ACCESS_TOKEN/,
  );
  refused([...BASE, "--kv", "k", "--force"], {}, /Unknown option '--force'/);
  // A dry run needs no KV at all, and a remote KV with its token is accepted.
  assert.equal(parseCli([...BASE, "--dry-run"], {}).kv, null);
  const remote = "https://api.deno.com/v2/databases/abc/connect";
  assert.equal(parseCli([...BASE, "--kv", remote], { DENO_KV_ACCESS_TOKEN: "t" }).kv, remote);
});
