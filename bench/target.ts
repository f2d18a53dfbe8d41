import type { GcEvent } from "./gc_trace.ts";

/** What the bench needs from a system under test: Parley, or a peer such as nginx + nchan. */

export interface StreamRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * What Parley's bench server recorded (bench/parley_server.ts, bench/kv_counter.ts) and its V8 GC
 * trace (bench/gc_trace.ts).
 */
export interface ServerDiagnostics {
  stalls: { at: number; ms: number }[];
  slowKv: { at: number; op: string; ms: number }[];
  gc: GcEvent[];
}

export interface Target {
  /** Short name for the table: "parley", "nchan-memory", "nchan-redis". */
  name: string;
  /** What exactly runs (storage, processes), for the JSON report. */
  describe: string;
  /** Starts the servers; resolves when they accept connections. */
  start(): Promise<void>;
  /** The processes whose CPU and memory count as the server's. */
  serverPids(): number[];
  /** Whatever each user needs before connecting (sign-in). */
  prepareUsers(count: number): Promise<void>;
  /** How user `i` opens its stream, resuming after `lastEventId` when given. */
  stream(i: number, lastEventId: string | null): StreamRequest | Promise<StreamRequest>;
  /** Whether a frame (its raw text) is the stream's "ready": the subscription is live. */
  isReady(frame: string): boolean;
  /** Sends one message from user `a` to user `b`; true when the server accepted it. */
  send(a: number, b: number, text: string, image: Uint8Array<ArrayBuffer> | null): Promise<boolean>;
  /** Storage operations so far (KV calls for Parley, Redis commands), or null if none. */
  storageOps(): Promise<number | null>;
  /**
   * Server-side records for the delivery timeline, where the target has them (Parley): `watch`
   * turns the event-loop watch on for a phase; `diagnostics` returns the loop's stalls and the
   * KV calls of 20 ms or more (Date.now() when each began, ms).
   */
  watch?(on: boolean): Promise<void>;
  diagnostics?(): Promise<ServerDiagnostics>;
  /** Stops every process it started and removes its files. */
  stop(): Promise<void>;
}

/** Spawns a process with its output kept in a log file (shown when it fails to start). */
export function spawnLogged(
  cmd: string,
  args: string[],
  logPath: string,
  env: Record<string, string> = {},
): Deno.ChildProcess {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).spawn();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    // A peer the machine lacks: say what to install rather than a raw spawn error.
    const peer = ["nginx", "redis-server"].includes(cmd);
    console.error(
      `bench: ${cmd} is not installed.` +
        (peer
          ? " For --peer nchan on Debian: apt-get install nginx libnginx-mod-nchan redis-server" +
            " (or run without --peer)."
          : ""),
    );
    Deno.exit(2);
  }
  Deno.writeFileSync(logPath, new Uint8Array(), { append: true });
  // Each chunk written as it comes (the log is read mid-run: the GC trace, bench/gc_trace.ts);
  // the file's own WritableStream held everything here until the child ended.
  let writes = Promise.resolve();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) {
      writes = writes.then(() => Deno.writeFile(logPath, chunk, { append: true })).catch(() => {});
    }
  };
  Promise.all([pump(child.stdout), pump(child.stderr)]).catch(() => {});
  return child;
}

/** Stops a child with SIGTERM (SIGKILL after 5 s) and waits for it. */
export async function stopChild(child: Deno.ChildProcess | null) {
  if (!child) return;
  try {
    child.kill("SIGTERM");
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 5000);
  await child.status;
  clearTimeout(timer);
}
