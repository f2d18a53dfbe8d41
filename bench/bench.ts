/**
 * `deno task bench [--users N] [--messages M] [--concurrency C]`
 * N users hold SSE connections to one Parley process; M messages go between random pairs.
 * Prints delivery latency (send start → event at the recipient), throughput, the server's RSS,
 * and lost / duplicated events (both must be 0).
 */
import { signedUserKey } from "../services/host/auth.ts";

function arg(name: string, def: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : def;
}
const USERS = arg("users", 2000);
const MESSAGES = arg("messages", 10000);
const CONCURRENCY = arg("concurrency", 64);
const SECRET = "bench-secret-0123456789abcdef";

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

/** The server process's user+system CPU time in ms (from /proc, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const f = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const kvPath = await Deno.makeTempFile({ prefix: "parley-bench-", suffix: ".sqlite" });
const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--allow-all",
    ...(Deno.env.get("BENCH_PROFILE") ? ["--v8-flags=--prof,--logfile=/tmp/parley-v8.log"] : []),
    new URL("../main.ts", import.meta.url).pathname,
  ],
  env: {
    PORT: "0",
    PARLEY_KV_PATH: Deno.env.get("BENCH_KV") ?? kvPath,
    PARLEY_AUTH_SECRET: SECRET,
  },
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const lines = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
let base = "";
while (!base) {
  const { value, done } = await lines.read();
  if (done) throw new Error("server exited");
  const m = value.match(/listening on (http:\/\/\S+)/);
  if (m) base = m[1].replace("localhost", "127.0.0.1");
}
(async () => {
  while (!(await lines.read()).done);
})();

const rssIdle = rssMb(server.pid);
console.log(`server pid ${server.pid} at ${base}, idle RSS ${rssIdle.toFixed(1)} MB`);

// Sessions.
const tokens: string[] = new Array(USERS);
for (let i = 0; i < USERS; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, USERS - i) }, async (_, j) => {
    const uid = `u${i + j}`;
    const res = await fetch(`${base}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: uid, user_key: await signedUserKey(SECRET, uid) }),
    });
    tokens[i + j] = (await res.json()).token;
  }));
}

// SSE connections, each parsing frames and recording message arrivals.
const sentAt = new Map<string, number>();
const latencies: number[] = [];
const received = new Map<string, number>(); // `${user}:${msgId}` → count
let deliveries = 0;
const aborts: AbortController[] = [];
const t0 = performance.now();
await Promise.all(tokens.map(async (token, i) => {
  const abort = new AbortController();
  aborts.push(abort);
  const t = await fetch(`${base}/api/v1/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ purpose: "events" }),
  }).then((r) => r.json());
  const res = await fetch(`${base}/api/v1/events?ticket=${t.ticket}`, { signal: abort.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  let ready!: () => void;
  const isReady = new Promise<void>((r) => ready = r);
  (async () => {
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let k;
        while ((k = buf.indexOf("\n\n")) >= 0) {
          const frame = buf.slice(0, k);
          buf = buf.slice(k + 2);
          if (frame.includes("event: ready")) ready();
          if (!frame.includes("event: message")) continue;
          const data = JSON.parse(frame.slice(frame.indexOf("data: ") + 6));
          const key = `u${i}:${data.id}`;
          received.set(key, (received.get(key) ?? 0) + 1);
          deliveries++;
          if (data.to === `u${i}`) {
            const start = sentAt.get(data.text);
            if (start !== undefined) latencies.push(performance.now() - start);
          }
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await isReady;
}));
const connectMs = performance.now() - t0;
const rssConnected = rssMb(server.pid);
console.log(
  `${USERS} SSE connections open in ${connectMs.toFixed(0)} ms; RSS ${
    rssConnected.toFixed(1)
  } MB ` +
    `(${(((rssConnected - rssIdle) * 1024) / USERS).toFixed(1)} KB per connection)`,
);

// Messages between random pairs, CONCURRENCY in flight.
const expected = new Map<string, number>();
let next = 0;
let failures = 0;
const sendLatencies: number[] = [];
const tSend = performance.now();
const cpuBefore = cpuMs(server.pid);
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (next < MESSAGES) {
    const n = next++;
    const a = Math.floor(Math.random() * USERS);
    let b = Math.floor(Math.random() * (USERS - 1));
    if (b >= a) b++;
    const text = `bench-${n}`;
    const start = performance.now();
    sentAt.set(text, start);
    const res = await fetch(`${base}/api/v1/dialogs/u${b}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens[a]}` },
      body: JSON.stringify({ text }),
    });
    sendLatencies.push(performance.now() - start);
    if (res.status !== 201) {
      failures++;
      await res.body?.cancel();
      continue;
    }
    const { message } = await res.json();
    expected.set(`u${a}:${message.id}`, 1);
    expected.set(`u${b}:${message.id}`, 1);
  }
}));
const sendSeconds = (performance.now() - tSend) / 1000;

// Wait for deliveries to settle.
const deadline = performance.now() + 30_000;
while (deliveries < expected.size && performance.now() < deadline) {
  await new Promise((r) => setTimeout(r, 50));
}
await new Promise((r) => setTimeout(r, 300));
const rssEnd = rssMb(server.pid);
const serverCpuPerMsg = (cpuMs(server.pid) - cpuBefore) / MESSAGES;

let lost = 0;
let duplicated = 0;
for (const key of expected.keys()) {
  const n = received.get(key) ?? 0;
  if (n === 0) lost++;
  if (n > 1) duplicated += n - 1;
}
latencies.sort((x, y) => x - y);
sendLatencies.sort((x, y) => x - y);

console.log(
  `\nParley bench: ${USERS} users, ${MESSAGES} messages, ${CONCURRENCY} concurrent senders`,
);
console.log(
  `  send throughput   ${(MESSAGES / sendSeconds).toFixed(0)} msg/s (${sendSeconds.toFixed(2)} s)`,
);
console.log(
  `  send (POST) ms    p50 ${pct(sendLatencies, 50).toFixed(1)}  p99 ${
    pct(sendLatencies, 99).toFixed(1)
  }`,
);
console.log(
  `  delivery ms       p50 ${pct(latencies, 50).toFixed(1)}  p95 ${
    pct(latencies, 95).toFixed(1)
  }  p99 ${pct(latencies, 99).toFixed(1)}  max ${latencies.at(-1)?.toFixed(1)}`,
);
console.log(
  `  server RSS MB     idle ${rssIdle.toFixed(1)}  connected ${rssConnected.toFixed(1)}  end ${
    rssEnd.toFixed(1)
  }`,
);
console.log(
  `  server CPU        ${serverCpuPerMsg.toFixed(2)} ms per message (send + 2 deliveries)`,
);
console.log(`  events expected   ${expected.size}  delivered ${deliveries}`);
console.log(`  lost ${lost}  duplicated ${duplicated}  failed sends ${failures}`);

for (const a of aborts) a.abort();
server.kill("SIGTERM");
await server.status;
for (const ext of ["", "-wal", "-shm"]) await Deno.remove(kvPath + ext).catch(() => {});
if (lost || duplicated || failures) Deno.exit(1);
