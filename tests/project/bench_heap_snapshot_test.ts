/**
 * bench/heap_snapshot.ts against a real V8 inspector: a Deno process holding a known number of
 * live objects and closures, and garbage that must not be counted.
 */
import assert from "node:assert/strict";

const tool = new URL("../../bench/heap_snapshot.ts", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("bench heap snapshot: counts what a process keeps alive, per stream, and not its garbage", async () => {
  const dir = await Deno.makeTempDir();
  const script = `${dir}/holder.ts`;
  await Deno.writeTextFile(
    script,
    `class Marker { constructor(readonly i: number) {} }
const kept: unknown[] = [];
for (let i = 0; i < 2000; i++) kept.push(new Marker(i), function keptClosure() { return i; });
// Garbage: made and dropped; the snapshot collects it first.
for (let i = 0; i < 50000; i++) new Marker(i);
console.log("ready");
setInterval(() => kept.length, 1000);
`,
  );
  const port = freePort();
  const holder = new Deno.Command(Deno.execPath(), {
    args: ["run", `--inspect=127.0.0.1:${port}`, script],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("ready")) seen += (await reader.read()).value ?? "";
    reader.releaseLock();
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", tool, `127.0.0.1:${port}`, "2000", `${dir}/out.heapsnapshot`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(run.stdout);
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    const countOf = (kind: string) =>
      Number(out.split("\n").find((l) => l.trim().endsWith(`  ${kind}`))?.trim().split(/\s+/)[0]);
    // Exactly the kept ones: the 50,000 dropped Markers were collected before the count.
    assert.equal(countOf("object Marker"), 2000, out);
    assert.equal(countOf("closure keptClosure"), 2000, out);
    assert.match(out, /^live heap \d+\.\d MB \(\d+\.\d KB per stream\)$/m);
    const objects = Number(out.match(/^objects (\d+) \((\d+\.\d) per stream\)$/m)?.[1]);
    assert.ok(objects > 4000, `objects ${objects}`);
    assert.ok((await Deno.stat(`${dir}/out.heapsnapshot`)).size > 100_000);
  } finally {
    holder.kill();
    await holder.status;
    await holder.stdout.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
