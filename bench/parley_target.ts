/** Parley under test: one `deno run` process (bench/parley_server.ts) on a KV of your choice. */
import { signedUserKey } from "../services/host/auth.ts";
import { parseGcTrace } from "./gc_trace.ts";
import { spawnLogged, stopChild, type StreamRequest, type Target } from "./target.ts";

/** Whether coreutils' stdbuf is on PATH (Debian has it; without it the GC trace comes in blocks). */
function hasStdbuf(): boolean {
  try {
    return new Deno.Command("stdbuf", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const SECRET = "bench-secret-0123456789abcdef";

export interface ParleyOptions {
  /** "file" (a fresh temp file), ":memory:", a path, or a KV Connect URL. */
  kv: string;
  /** Extra environment for the server (rate limits, heartbeat...). */
  env: Record<string, string>;
  dir: string;
  /** host:port where the server accepts a V8 inspector (a profiler), if given. */
  inspect?: string;
}

export function parleyTarget(opts: ParleyOptions): Target {
  let child: Deno.ChildProcess | null = null;
  let base = "";
  let stats = "";
  let tokens: string[] = [];
  const kvPath = opts.kv === "file" ? `${opts.dir}/parley.sqlite` : opts.kv;
  const json = { "content-type": "application/json" };
  const logPath = `${opts.dir}/parley.log`;

  return {
    name: "parley",
    describe: `Parley (deno ${Deno.version.deno}), one process, KV ${
      opts.kv === "file" ? "local SQLite file" : kvPath
    }`,
    async start() {
      const readyFile = `${opts.dir}/parley.ready`;
      const deno = [
        Deno.execPath(),
        "run",
        "--allow-all",
        ...(opts.inspect ? [`--inspect=${opts.inspect}`] : []),
        new URL("./parley_server.ts", import.meta.url).pathname,
      ];
      // V8 prints its GC trace through C's stdio, which buffers a pipe by 4 KB blocks and loses
      // the rest when the process is stopped: coreutils' stdbuf makes it write line by line.
      const [cmd, ...args] = hasStdbuf() ? ["stdbuf", "-oL", ...deno] : deno;
      child = spawnLogged(cmd, args, logPath, {
        PORT: "0",
        PARLEY_KV_PATH: kvPath,
        PARLEY_AUTH_SECRET: SECRET,
        BENCH_READY_FILE: readyFile,
        ...opts.env,
        DENO_V8_FLAGS: [opts.env.DENO_V8_FLAGS, "--trace-gc"].filter(Boolean).join(","),
      });
      const end = Date.now() + 60_000;
      while (!base) {
        try {
          const r = JSON.parse(await Deno.readTextFile(readyFile));
          base = r.url;
          stats = r.stats;
        } catch {
          if (Date.now() > end) throw new Error(`Parley did not start; see ${opts.dir}/parley.log`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    serverPids: () => (child ? [child.pid] : []),
    async prepareUsers(count) {
      tokens = new Array(count);
      for (let i = 0; i < count; i += 100) {
        await Promise.all(Array.from({ length: Math.min(100, count - i) }, async (_, j) => {
          const uid = `u${i + j}`;
          const res = await fetch(`${base}/api/v1/session`, {
            method: "POST",
            headers: json,
            body: JSON.stringify({ user_id: uid, user_key: await signedUserKey(SECRET, uid) }),
          });
          if (res.status !== 200 && res.status !== 201) {
            throw new Error(`sign-in of ${uid} failed: ${res.status} ${await res.text()}`);
          }
          tokens[i + j] = (await res.json()).token;
        }));
      }
    },
    // As the widget does: a fresh one-use ticket for every (re)connect (no token in the URL).
    async stream(i, lastEventId): Promise<StreamRequest> {
      const res = await fetch(`${base}/api/v1/tickets`, {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${tokens[i]}` },
        body: JSON.stringify({ purpose: "events" }),
      });
      if (!res.ok) throw new Error(`ticket for u${i}: ${res.status} ${await res.text()}`);
      const { ticket } = await res.json();
      return {
        url: `${base}/api/v1/events?ticket=${encodeURIComponent(ticket)}`,
        headers: lastEventId ? { "last-event-id": lastEventId } : {},
      };
    },
    isReady: (frame) => frame.includes("event: ready"),
    async send(a, b, text, image) {
      let body: BodyInit = JSON.stringify({ text });
      const headers: Record<string, string> = { authorization: `Bearer ${tokens[a]}` };
      if (image) {
        const form = new FormData();
        form.set("text", text);
        form.set("image", new File([image], "bench.png", { type: "image/png" }));
        body = form;
      } else headers["content-type"] = "application/json";
      const res = await fetch(`${base}/api/v1/dialogs/u${b}/messages`, {
        method: "POST",
        headers,
        body,
      });
      await res.body?.cancel();
      return res.status === 201;
    },
    async watch(on: boolean) {
      await (await fetch(`${stats}?watch=${on ? 1 : 0}`)).body?.cancel();
    },
    async diagnostics() {
      const c = await (await fetch(stats)).json();
      const log = await Deno.readTextFile(logPath).catch(() => "");
      return { stalls: c.stalls, slowKv: c.slowKv, gc: parseGcTrace(log) };
    },
    async storageOps() {
      const c = await (await fetch(stats)).json();
      return c.reads + c.commits;
    },
    async stop() {
      const g = await fetch(stats).then((r) => r.json()).then((c) => c.group).catch(() => null);
      if (g?.batches) {
        const per = (g.grouped / g.batches).toFixed(1);
        console.log(
          `  group commit: ${g.batches} atomics carried ${g.grouped} writes (${per} each: sends, presence, tickets, admin log), ` +
            `${g.alone} alone, ${g.failed} batches retried one by one`,
        );
      }
      await stopChild(child);
      child = null;
    },
  };
}
