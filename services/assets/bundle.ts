import { gzipSync } from "node:zlib";
import { log } from "../core/log.ts";

/** A browser bundle held in memory with its content hash (served with a strong ETag). */
export interface Bundle {
  code: string;
  etag: string;
  /** The build id shared by the bundles of its group (see GROUPS). */
  build: string;
  /** The code gzip-compressed once (best compression), for clients that accept it. */
  gzip: Uint8Array<ArrayBuffer>;
}

/**
 * Bundles that work together: widget.js loads the others on demand and refuses any not from its
 * own build. Each carries the group's build id in place of BUILD_PLACEHOLDER
 * (islands/widget/build_id.ts), so the id changes whenever any of them does.
 */
const GROUPS = [[
  "widget",
  "widget_extra",
  "widget_chat",
  "widget_look",
  "widget_en",
  "widget_ru",
  "widget_compat",
]];
const BUILD_PLACEHOLDER = "__PARLEY_BUILD__";

const root = new URL("../../", import.meta.url);

async function hash(code: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
  return Array.from(new Uint8Array(d).slice(0, 12), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

/**
 * The code of `islands/<name>/main.ts`. A prebuilt `static/build/<name>.js` (made by
 * `deno task build`, e.g. in Deno Deploy's build step) wins; otherwise `deno bundle` runs once
 * and writes to stdout only, so nothing touches the file system at run time.
 */
async function build(name: string): Promise<string> {
  try {
    return await Deno.readTextFile(new URL(`static/build/${name}.js`, root));
  } catch {
    const entry = new URL(`islands/${name}/main.ts`, root);
    const out = await afterWarmUp(() =>
      new Deno.Command(Deno.execPath(), {
        args: ["bundle", "--platform", "browser", "--format", "iife", "--minify", entry.pathname],
        cwd: root.pathname,
        stdout: "piped",
        stderr: "piped",
      }).output()
    );
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr);
      log.error(`bundling ${name} failed: ${err.slice(-2000)}`);
      throw new Error(`bundling ${name} failed`);
    }
    return new TextDecoder().decode(out.stdout);
  }
}

/** The first `deno bundle` of this process, until it has finished (successfully or not). */
let warmUp: Promise<unknown> | null = null;
let warmed = false;

/**
 * Runs `run` (a `deno bundle`) once the process's first one has finished. On an empty Deno cache
 * the first run downloads esbuild; parallel first runs race on that download and fail ("failed to
 * copy esbuild binary"), so one goes alone and the rest follow in parallel. A failed first run
 * leaves the next one to go alone again.
 */
async function afterWarmUp<T>(run: () => Promise<T & { success: boolean }>): Promise<T> {
  while (!warmed) {
    if (!warmUp) {
      const first = run();
      warmUp = first.then((r) => {
        warmed ||= r.success;
      }, () => {}).finally(() => warmUp = null);
      return await first;
    }
    await warmUp;
  }
  return await run();
}

const builds = new Map<string, Promise<string>>();

/** `build(name)` once per process; a failed build is retried next time. */
function built(name: string): Promise<string> {
  let p = builds.get(name);
  if (!p) {
    p = build(name);
    p.catch(() => builds.delete(name));
    builds.set(name, p);
  }
  return p;
}

/** The bundle `name`, with its group's build id filled in, hashed and compressed. */
export async function loadBundle(name: string): Promise<Bundle> {
  const group = GROUPS.find((g) => g.includes(name)) ?? [name];
  const codes = await Promise.all(group.map(built));
  const id = await hash(codes.join("\n"));
  const code = codes[group.indexOf(name)].replaceAll(BUILD_PLACEHOLDER, id);
  const gzip = new Uint8Array(gzipSync(code, { level: 9 }));
  return { code, etag: `"${await hash(code)}"`, build: id, gzip };
}

const cache = new Map<string, Promise<Bundle>>();

/** Builds each bundle once per process; a failed build is retried on the next request. */
export function bundle(name: string): Promise<Bundle> {
  let p = cache.get(name);
  if (!p) {
    p = loadBundle(name);
    p.catch(() => cache.delete(name));
    cache.set(name, p);
  }
  return p;
}
