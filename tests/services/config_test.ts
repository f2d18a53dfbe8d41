import assert from "node:assert/strict";
import { loadConfig } from "../../services/core/config.ts";
import { ConfigError } from "../../services/core/errors.ts";

const base = { PARLEY_AUTH_SECRET: "0123456789abcdef" };

function failsOn(env: Record<string, string>, variable: string) {
  assert.throws(() => loadConfig(env), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.variable, variable);
    assert.ok(e.message.startsWith(`${variable}: `));
    assert.ok(!e.message.includes("\n"), "one line");
    return true;
  });
}

Deno.test("config: defaults and lists", () => {
  const c = loadConfig({
    ...base,
    PARLEY_ADMIN_IDS: "1, 2,admin_x",
    PARLEY_TRUSTED_IPS: "10.0.0.0/8,::1",
  });
  assert.equal(c.port, 8000);
  assert.deepEqual([...c.adminIds], ["1", "2", "admin_x"]);
  assert.deepEqual(c.trustedIps, ["10.0.0.0/8", "::1"]);
  assert.equal(c.kvPath, undefined);
  assert.equal(c.trustProxy, 0);
});

Deno.test("config: a missing or invalid setting names the variable", () => {
  failsOn({}, "PARLEY_AUTH_SECRET");
  failsOn({ PARLEY_AUTH_SECRET: "short" }, "PARLEY_AUTH_SECRET");
  failsOn({ ...base, PORT: "http" }, "PORT");
  failsOn({ ...base, PARLEY_USERS_INFO_URL: "ftp://x" }, "PARLEY_USERS_INFO_URL");
  failsOn({ ...base, PARLEY_USERS_HASH_URL: "not a url" }, "PARLEY_USERS_HASH_URL");
  failsOn({ ...base, PARLEY_ADMIN_IDS: "1,bad id" }, "PARLEY_ADMIN_IDS");
  failsOn({ ...base, PARLEY_TRANSLATE_PROVIDER: "google" }, "PARLEY_TRANSLATE_PROVIDER");
  failsOn({ ...base, PARLEY_TRANSLATE_PROVIDER: "yandex" }, "PARLEY_YANDEX_API_KEY");
  failsOn({ ...base, PARLEY_TRANSLATE_PROVIDER: "libretranslate" }, "PARLEY_TRANSLATE_URL");
  failsOn({ ...base, PARLEY_ALLOWED_ORIGINS: "site.example" }, "PARLEY_ALLOWED_ORIGINS");
  failsOn({ ...base, PARLEY_TRUST_PROXY: "-1" }, "PARLEY_TRUST_PROXY");
});

Deno.test("config: `deno task serve` stops at start with one line naming the variable", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "main.ts"],
    env: { PARLEY_AUTH_SECRET: "", PARLEY_USERS_HASH_URL: "", PARLEY_API_SECRET: "", PORT: "0" },
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  const err = new TextDecoder().decode(out.stderr).trim();
  assert.equal(err.split("\n").length, 1, err);
  assert.match(err, /^parley: bad setting PARLEY_AUTH_SECRET: /);
});

Deno.test("config: every variable Parley reads is in the README's configuration table", async () => {
  const source = await Deno.readTextFile(new URL("../../services/core/config.ts", import.meta.url));
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## HTTP API"));
  const read = new Set(
    [...source.matchAll(/env(?:, |\.)"?(PARLEY_[A-Z_]+[A-Z]|PORT)\b/g)].map((m) => m[1]),
  );
  assert.ok(read.size > 30, `found only ${read.size} variables`);
  const missing = [...read].filter((v) => !table.includes("`" + v + "`"));
  assert.deepEqual(missing, []);
});
