/**
 * A Deno script run with a V8 inspector on a free port, for the tests of the bench's profiling
 * tools (bench/heap_snapshot.ts, bench/alloc_profile.ts): `fn` runs once the script printed
 * "ready", and the process and its temp dir are gone afterwards.
 */
import { freePort } from "./ports.ts";

export async function withInspected(
  source: string,
  fn: (where: string, dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const script = `${dir}/inspected.ts`;
  await Deno.writeTextFile(script, source);
  const where = `127.0.0.1:${freePort()}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", `--inspect=${where}`, script],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("ready")) seen += (await reader.read()).value ?? "";
    reader.releaseLock();
    await fn(where, dir);
  } finally {
    child.kill();
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs a bench tool with `args`; returns its stdout, failing on a non-zero exit. */
export async function runTool(tool: string, args: string[]): Promise<string> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(`../../bench/${tool}`, import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (run.code !== 0) throw new Error(new TextDecoder().decode(run.stderr));
  return new TextDecoder().decode(run.stdout);
}
