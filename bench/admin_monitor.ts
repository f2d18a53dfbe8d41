/**
 * `deno task bench:admin [--rate R] [--seconds S] [--users N]`
 * The admin monitor under a burst: a Parley process, an admin page in headless Chromium, and R
 * messages a second for S seconds between N users. Measures in the page: long tasks
 * (PerformanceObserver "longtask"), the JS heap (CDP Performance.getMetrics, sampled), and the lag
 * from each send's acknowledgement to its row appearing in the monitor (a MutationObserver).
 */
import { chromium } from "playwright-core";
import { signedUserKey } from "../services/host/auth.ts";

function arg(name: string, def: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : def;
}
const RATE = arg("rate", 200);
const SECONDS = arg("seconds", 10);
const USERS = arg("users", 40);
const SECRET = "bench-secret-0123456789abcdef";

const kvPath = await Deno.makeTempFile({ prefix: "parley-bench-admin-", suffix: ".sqlite" });
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "--allow-all", new URL("../main.ts", import.meta.url).pathname],
  env: {
    PORT: "0",
    PARLEY_KV_PATH: kvPath,
    PARLEY_AUTH_SECRET: SECRET,
    PARLEY_ADMIN_IDS: "admin",
    PARLEY_RATE_MESSAGES: "off",
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

async function login(uid: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: uid, user_key: await signedUserKey(SECRET, uid) }),
  });
  return (await r.json()).token;
}

// Runs in the page before its scripts: long tasks and the moment each row appears.
const PROBE = `window.__long = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
  .observe({ type: "longtask", buffered: true });
window.__seen = {};
addEventListener("DOMContentLoaded", () => {
  new MutationObserver((records) => {
    const now = Date.now();
    for (const r of records) for (const n of r.addedNodes) {
      if (!(n instanceof Element)) continue;
      const rows = n.matches("[data-id]") ? [n] : n.querySelectorAll("[data-id]");
      for (const row of rows) window.__seen[row.dataset.id] ??= now;
    }
    for (const r of records) if (r.type === "attributes") {
      window.__seen[r.target.dataset.id] ??= now;
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-id"] });
});`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--enable-precise-memory-info"],
});
try {
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) => login(`u${i + 1}`)),
  );
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.addInitScript(PROBE);
  await page.goto(`${base}/admin?lang=en`);
  await page.fill('input[name="user_id"]', "admin");
  await page.fill('input[name="user_key"]', await signedUserKey(SECRET, "admin"));
  await page.click('button[type="submit"]');
  await page.locator(".pa-dot.pa-on").waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  // A baseline: long tasks of the idle page over 3 s (on a loaded machine even idle pages have
  // some; compare the burst's numbers with it). The load average is printed for the same reason.
  const idleBefore = await page.evaluate(() =>
    (globalThis as unknown as { __long: number[] }).__long.length
  );
  await page.waitForTimeout(3000);
  const idleLong = await page.evaluate(() =>
    (globalThis as unknown as { __long: number[] }).__long.slice()
  );
  const baseline = idleLong.slice(idleBefore);
  await page.evaluate(() => ((globalThis as unknown as { __long: number[] }).__long = []));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  let heapPeak = 0;
  const heapTimer = setInterval(async () => {
    const { metrics } = await cdp.send("Performance.getMetrics") as {
      metrics: { name: string; value: number }[];
    };
    const used = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0;
    heapPeak = Math.max(heapPeak, used);
  }, 250);

  // Paced sends: message i leaves at start + i / RATE, at most 64 in flight.
  const total = RATE * SECONDS;
  const acked = new Map<string, number>();
  const start = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const wait = start + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const from = i % USERS;
      const to = (from + 1 + (i % (USERS - 1))) % USERS;
      const r = await fetch(`${base}/api/v1/dialogs/u${to + 1}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[from]}`, "content-type": "application/json" },
        body: JSON.stringify({ text: `burst message ${i} ` + "lorem ipsum ".repeat(i % 12) }),
      });
      const body = await r.json();
      if (r.status === 201) acked.set(body.message.id, Date.now());
      else failed++;
    }
  };
  // The same stream from here: a message missing on the page but here is the page's fault.
  const streamSeen = new Set<string>();
  const abort = new AbortController();
  (async () => {
    const res = await fetch(`${base}/api/v1/admin/events`, {
      headers: { authorization: `Bearer ${await login("admin")}` },
      signal: abort.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        for (const m of buf.matchAll(/event: message\ndata: \{"id":"(\w+)"/g)) streamSeen.add(m[1]);
        buf = buf.slice(buf.lastIndexOf("\n\n") + 2);
      }
    } catch {
      // aborted at the end
    }
  })();
  await new Promise((r) => setTimeout(r, 500));
  const profile = Deno.args.includes("--profile");
  if (profile) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.start");
  }
  await Promise.all(Array.from({ length: 64 }, worker));
  if (profile) {
    // The page's hottest functions by self time (where a long task goes).
    const { profile: p } = await cdp.send("Profiler.stop") as {
      profile: {
        nodes: {
          id: number;
          callFrame: { functionName: string; url: string; lineNumber: number };
        }[];
        samples: number[];
        timeDeltas: number[];
      };
    };
    const self = new Map<string, number>();
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const f = byId.get(id)!.callFrame;
      const name = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
    });
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
    for (const [name, ms] of top) console.error(`${ms.toFixed(0).padStart(7)} ms  ${name}`);
  }
  const sendSeconds = (performance.now() - start) / 1000;
  // Let the monitor catch up (or give up after 30 s).
  const deadline = Date.now() + 30_000;
  let seen: Record<string, number> = {};
  while (Date.now() < deadline) {
    seen = await page.evaluate(() =>
      (globalThis as unknown as { __seen: Record<string, number> }).__seen
    );
    if ([...acked.keys()].every((id) => seen[id])) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  clearInterval(heapTimer);
  abort.abort();
  const long = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long);
  const lags = [...acked].filter(([id]) => seen[id]).map(([id, at]) => seen[id] - at).sort((
    a,
    b,
  ) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))];
  const result = {
    load_average: Deno.readTextFileSync("/proc/loadavg").split(" ")[0],
    idle_long_tasks_3s: baseline.length,
    idle_long_task_max_ms: Math.round(Math.max(0, ...baseline)),
    rate_asked: RATE,
    rate_sent: Math.round(acked.size / sendSeconds),
    messages: acked.size,
    failed_sends: failed,
    shown: lags.length,
    never_shown: acked.size - lags.length,
    never_streamed: [...acked.keys()].filter((id) => !streamSeen.has(id)).length,
    long_tasks: long.length,
    long_task_max_ms: Math.round(Math.max(0, ...long)),
    long_task_total_ms: Math.round(long.reduce((a, b) => a + b, 0)),
    heap_peak_mb: Math.round(heapPeak / 1048576),
    lag_p50_ms: pct(50),
    lag_p95_ms: pct(95),
    lag_max_ms: lags[lags.length - 1],
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  server.kill();
  await server.status;
  for (const ext of ["", "-wal", "-shm"]) await Deno.remove(kvPath + ext).catch(() => {});
}
