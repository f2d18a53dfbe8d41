/** docs/architecture.md stays true: every path it names exists, every source folder is named. */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const map = await Deno.readTextFile(new URL("docs/architecture.md", root));

const TOP = /^(\.ci|routes|kv|services|islands|static|examples|bench|docs|tests)\//;

/**
 * Backticked paths in the map, in order. Full paths (`kv/messaging/`) stand as they are; a short
 * name (`dialogs.ts` in the paragraph of `routes/user/`) is read inside the last folder named, or
 * at the top (`main.ts`).
 */
function namedPaths(text: string): string[][] {
  const found: string[][] = [];
  let folder = "";
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const p = m[1].replace(/…$/, "");
    if (TOP.test(p)) {
      found.push([p]);
      if (p.endsWith("/")) folder = p;
    } else if (/^[\w.]+(\.(ts|md|json)|\/)$/.test(p)) {
      found.push([folder + p, p]);
    }
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(new URL(path, root));
    return true;
  } catch {
    return false;
  }
}

async function folders(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(new URL(dir, root))) {
    if (!e.isDirectory) continue;
    const sub = `${dir}${e.name}/`;
    out.push(sub, ...await folders(sub));
  }
  return out;
}

Deno.test("architecture map: every path it names exists", async () => {
  const named = namedPaths(map);
  assert.ok(named.length > 60, `only ${named.length} paths found`);
  const missing = [];
  for (const candidates of named) {
    if (candidates[0] === "static/build/") continue; // made by `deno task build`, ignored by git
    let found = false;
    for (const c of candidates) found ||= await exists(c);
    if (!found) missing.push(candidates[0]);
  }
  assert.deepEqual(missing, []);
});

Deno.test("architecture map: every source folder is described", async () => {
  const all = [
    ...await folders("routes/"),
    ...await folders("kv/"),
    ...await folders("services/"),
    ...(await folders("tests/")).filter((d) => d.split("/").length === 3),
  ];
  const undocumented = all.filter((d) => !map.includes("`" + d));
  assert.deepEqual(undocumented, []);
});
