/**
 * README's first command on a bare machine: `deno task start` in a copy of the project with an
 * empty Deno cache (DENO_DIR) and no node_modules, so npm packages and esbuild are fetched for the
 * first time while the browser bundles are built. Every bundle must be served afterwards.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

/** The project's files as a clean clone has them (tracked plus new, minus ignored ones). */
async function projectFiles(): Promise<string[]> {
  const out = await new Deno.Command("git", {
    args: ["ls-files", "--cached", "--others", "--exclude-standard", "-z"],
    cwd: root,
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).split("\0").filter(Boolean);
}

async function copyProject(to: string) {
  for (const f of await projectFiles()) {
    const dir = f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "";
    if (dir) await Deno.mkdir(`${to}/${dir}`, { recursive: true });
    await Deno.copyFile(`${root}${f}`, `${to}/${f}`).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e; // deleted but not yet committed
    });
  }
}

Deno.test({
  name: "bare machine: `deno task start` with an empty Deno cache builds and serves every bundle",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const work = await Deno.makeTempDir({ prefix: "parley-bare-" });
    const cache = await Deno.makeTempDir({ prefix: "parley-deno-dir-" });
    await copyProject(work);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "start"],
      cwd: work,
      env: {
        DENO_DIR: cache,
        NO_COLOR: "1",
        DENO_NO_UPDATE_CHECK: "1",
        PORT: "0",
        DEMO_PORT: "0",
        PARLEY_KV_PATH: `${work}/.parley/demo.sqlite`,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let output = "";
    const seen = Promise.withResolvers<string>();
    const pump = async (s: ReadableStream<Uint8Array<ArrayBuffer>>) => {
      const dec = new TextDecoder();
      for await (const chunk of s) {
        output += dec.decode(chunk, { stream: true });
        const m = output.match(/Parley:\s+(http:\/\/\S+)[\s\S]*Demo site:\s+(http:\/\/\S+)/);
        if (m) seen.resolve(m[1]);
      }
    };
    const pumps = [pump(child.stdout), pump(child.stderr)];
    child.status.then((s) => seen.reject(new Error(`start exited with ${s.code}`)));
    const timer = setTimeout(() => seen.reject(new Error("no URLs within 240 s")), 240_000);
    try {
      const parley = await seen.promise.catch((e) => {
        throw new Error(`${e.message}\n--- output ---\n${output.slice(-4000)}`);
      });
      assert.doesNotMatch(output, /failed/i, output);
      for (
        const path of [
          "/widget.js",
          "/widget-extra.js",
          "/widget-en.js",
          "/widget-ru.js",
          "/widget-compat.js",
          "/admin.js",
        ]
      ) {
        const res = await fetch(parley + path);
        assert.equal(res.status, 200, path);
        assert.ok((await res.text()).length > 500, path);
      }
    } finally {
      clearTimeout(timer);
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await Promise.allSettled(pumps);
      await Deno.remove(work, { recursive: true }).catch(() => {});
      await Deno.remove(cache, { recursive: true }).catch(() => {});
    }
  },
});
