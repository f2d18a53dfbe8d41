/**
 * README's configuration table and services/core/config.ts name the same variables: a setting
 * added (a new PARLEY_RATE_* limit, say) without its row, or a row left for a removed one, fails.
 */
import assert from "node:assert/strict";

const read = (f: string) => Deno.readTextFile(new URL(f, import.meta.url));

Deno.test("README's configuration table lists exactly the variables config.ts reads", async () => {
  const code = await read("../../services/core/config.ts");
  const readme = await read("../../README.md");
  const read_ = new Set(
    // Read as env(…, "NAME", …) or env.NAME.
    [...code.matchAll(/["'`]([A-Z][A-Z0-9_]+)["'`]|\benv\.([A-Z][A-Z0-9_]+)/g)]
      .map((m) => [m[0], m[1] ?? m[2]])
      .map((m) => m[1])
      .filter((v) => v.startsWith("PARLEY_") || v === "PORT"),
  );
  const section = readme.slice(readme.indexOf("## Configuration"));
  const table = section.slice(0, section.indexOf("\n## "));
  const rows = new Set(
    table.split("\n").filter((l) => l.startsWith("| `")).flatMap((l) =>
      [...l.split("|")[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])
    ),
  );
  assert.ok(read_.size >= 30, `config.ts reads only ${read_.size} variables?`);
  assert.deepEqual([...read_].filter((v) => !rows.has(v)).sort(), [], "missing from README");
  assert.deepEqual([...rows].filter((v) => !read_.has(v)).sort(), [], "README rows for nothing");
});
