import { log } from "./log.ts";

/** A browser bundle held in memory with its content hash (served with a strong ETag). */
export interface Bundle {
  code: string;
  etag: string;
  /** The code gzip-compressed once, for clients that accept it. */
  gzip: Uint8Array<ArrayBuffer>;
}

async function gzipped(code: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([code]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const root = new URL("../", import.meta.url);

async function hash(code: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
  return Array.from(new Uint8Array(d).slice(0, 12), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

/**
 * The bundle of `islands/<name>/main.ts`. A prebuilt `static/build/<name>.js` (made by
 * `deno task build`, e.g. in Deno Deploy's build step) wins; otherwise `deno bundle` runs once
 * and writes to stdout only, so nothing touches the file system at run time.
 */
export async function loadBundle(name: string): Promise<Bundle> {
  const prebuilt = new URL(`static/build/${name}.js`, root);
  let code: string;
  try {
    code = await Deno.readTextFile(prebuilt);
  } catch {
    const entry = new URL(`islands/${name}/main.ts`, root);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "browser", "--format", "iife", "--minify", entry.pathname],
      cwd: root.pathname,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr);
      log.error(`bundling ${name} failed: ${err.slice(-2000)}`);
      throw new Error(`bundling ${name} failed`);
    }
    code = new TextDecoder().decode(out.stdout);
  }
  return { code, etag: `"${await hash(code)}"`, gzip: await gzipped(code) };
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
