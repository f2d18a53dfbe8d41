/**
 * Browser-test harness: Debian's Chromium driven by playwright-core, and a tiny real host site
 * that embeds the widget the way a customer's page does (one script tag, then Parley.init with a
 * user_key its backend signed). The host page's own CSS is deliberately hostile so isolation shows.
 */
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { Buffer } from "node:buffer";
import type { TestServer } from "./helpers.ts";
import { seedProfile, userKey } from "./helpers.ts";

/**
 * Launches headless Chromium (no GPU, no background traffic, audio allowed without a gesture;
 * `gestureAudio`: the browsers' default, audio only after a user gesture).
 */
export function launchBrowser(opts: { gestureAudio?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...opts.gestureAudio ? [] : ["--autoplay-policy=no-user-gesture-required"],
    ],
  });
}

/**
 * Counts every real sound the page starts: the widget's beep is a WebAudio oscillator, so a
 * wrapper on OscillatorNode.start (installed before any page script) sees each playback.
 */
const SOUND_SPY = `window.__beeps = 0;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...a) { window.__beeps++; return start.apply(this, a); };`;

/** Options the host page passes to Parley.init (plus `early`: openDialog before init). */
export interface HostOptions {
  lang?: string;
  open?: boolean;
  early?: string;
  langs?: string[];
  /** Where the page loads Parley from (default: the server itself; e.g. a NetworkProxy). */
  via?: string;
  /** The `theme` option. */
  theme?: "auto" | "light" | "dark";
  /** A user_key the host's backend did not sign (the chat cannot start). */
  badKey?: boolean;
  /** The `launcher` option (unset: the default). */
  launcher?: boolean;
  /** The `notifications` option (unset: the default). */
  notifications?: boolean;
}

/**
 * A host site: `GET /?uid=alice&...` renders a page that embeds `<parley>/widget.js` and calls
 * `StarCometChat.init` (the original's name) with a signed user_key. The page records what the
 * integration sees: `__ready` (success), `__unread` (on("unread") calls), `__closed`
 * (onCloseChat), `__before` (layout before the widget), `__alerts` (any alert()), `__added`
 * (globals the widget script added), `__errors` (the `error` option's and on("error") calls).
 */
export function startHostPage(parleyUrl: string) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const q = url.searchParams;
    const uid = q.get("uid") ?? "";
    if (url.pathname !== "/" || !uid) return new Response("not found", { status: 404 });
    const opts: HostOptions = JSON.parse(q.get("opts") ?? "{}");
    const parley = opts.via ?? parleyUrl;
    const cfg = {
      early: opts.early,
      init: {
        user_id: uid,
        user_key: opts.badKey ? "not-a-valid-key" : await userKey(uid),
        lang: opts.lang ?? "en",
        open: opts.open ?? false,
        langs: opts.langs,
        theme: opts.theme,
        launcher: opts.launcher,
        notifications: opts.notifications,
        user_url_tpl: "https://host.example/users/{id}",
      },
    };
    const html = `<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Host page</title>
<style>* { color: red !important; font-family: serif !important; letter-spacing: 2px; }
button { background: lime !important; } div { border: 3px solid orange; padding: 20px; }</style>
</head><body><h1>A host site</h1><p id="content">Some content of the host page.</p>
<script>window.__unread = []; window.__errors = []; window.__closed = 0; window.__ready = false; window.__alerts = [];
window.alert = (m) => window.__alerts.push(String(m)); window.__globals = Object.keys(window);</script>
<script src="${parley}/widget.js"></script>
<script>window.__added = Object.keys(window).filter((k) => !window.__globals.includes(k) && k !== "__globals").sort();
const cfg = ${JSON.stringify(cfg).replace(/</g, "\\u003c")};
const r = document.getElementById("content").getBoundingClientRect();
window.__before = { top: r.top, left: r.left, width: r.width,
  scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight };
if (cfg.early) Parley.openDialog(cfg.early);
Parley.on("unread", (u) => window.__unread.push(u));
Parley.on("error", (e) => window.__errors.push(["on", e]));
StarCometChat.init({ ...cfg.init, success() { window.__ready = true; }, onCloseChat() { window.__closed++; },
  error(e) { window.__errors.push(["option", e]); } });
</script></body></html>`;
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return { url: base, close: () => server.shutdown() };
}

/** Stores a host profile (as the manage API would) so names and read-only text are known. */
export function setProfile(
  server: TestServer,
  uid: string,
  fields: { name?: string; error?: string } = {},
) {
  return seedProfile(server.parley.deps.kv, uid, {
    name: fields.name ?? uid[0].toUpperCase() + uid.slice(1),
    error: fields.error,
  });
}

/**
 * Every URL the browser requests through `target`, as it goes out (playwright's "request"
 * event), so a test can check that no credential ever rides in one.
 */
export function watchUrls(target: BrowserContext | Page): string[] {
  const urls: string[] = [];
  target.on("request", (r) => urls.push(r.url()));
  return urls;
}

/** The URLs among `urls` that carry a session token (`token=` in the query). */
export function tokenUrls(urls: string[]): string[] {
  return urls.filter((u) => /[?&](token|access_token)=/i.test(u));
}

/** A signed-in host page for `uid` in its own browser context (its own cookies and storage). */
export async function openAs(
  browser: Browser,
  host: { url: string },
  uid: string,
  opts: HostOptions & {
    viewport?: { width: number; height: number };
    /** More of the browser context (touch, time zone, colour scheme…). */
    context?: BrowserContextOptions;
  } = {},
): Promise<{ ctx: BrowserContext; page: Page; urls: string[] }> {
  const ctx = await browser.newContext({
    viewport: opts.viewport ?? { width: 1000, height: 720 },
    ...opts.context,
  });
  await ctx.addInitScript(SOUND_SPY);
  const urls = watchUrls(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  await gotoHost(page, host, uid, opts);
  return { ctx, page, urls };
}

/** Loads (or reloads) the host page as `uid` and waits for the widget's `success`. */
export async function gotoHost(page: Page, host: { url: string }, uid: string, opts: HostOptions) {
  const q = new URLSearchParams({ uid, opts: JSON.stringify(opts) });
  await page.goto(`${host.url}/?${q}`);
  if (opts.badKey) return;
  await page.waitForFunction(() => (globalThis as unknown as { __ready: boolean }).__ready);
}

/** Evaluates an expression in the page (the host page's globals: Parley, __beeps…). */
export function js<T>(page: Page, expr: string): Promise<T> {
  return page.evaluate(expr) as Promise<T>;
}

/** Polls `fn` until it returns a truthy value (or fails after `ms`). */
export async function until<T>(fn: () => Promise<T>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T;
  while (!(last = await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return last;
}

/**
 * The network between one browser and Parley: a TCP relay whose `down()` cuts every open
 * connection (the SSE stream included) and refuses new ones until `up()`, like Wi-Fi dropping.
 * Parley itself keeps running and keeps storing messages meanwhile.
 */
export function startNetworkProxy(target: string) {
  const { hostname, port } = new URL(target);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  let isUp = true;
  // Upload pacing (client → server bytes per second); null forwards at full speed.
  let uploadRate: number | null = null;
  const paced = () =>
    new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, out) {
        for (let i = 0; i < chunk.length; i += 1024) {
          const piece = chunk.subarray(i, i + 1024);
          out.enqueue(piece);
          if (uploadRate) {
            await new Promise((r) => setTimeout(r, (piece.length / uploadRate!) * 1000));
          }
        }
      },
    });
  const relay = async (client: Deno.Conn) => {
    if (!isUp) return client.close();
    let server: Deno.Conn;
    try {
      server = await Deno.connect({ hostname, port: Number(port) });
    } catch {
      return client.close();
    }
    open.add(client).add(server);
    await Promise.allSettled([
      client.readable.pipeThrough(paced()).pipeTo(server.writable),
      server.readable.pipeTo(client.writable),
    ]);
    for (const c of [client, server]) {
      open.delete(c);
      try {
        c.close();
      } catch {
        // already closed by the cut
      }
    }
  };
  const accepting = (async () => {
    try {
      for await (const c of listener) relay(c);
    } catch {
      // listener closed
    }
  })();
  const cut = () => {
    for (const c of open) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
    open.clear();
  };
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    down() {
      isUp = false;
      cut();
    },
    up() {
      isUp = true;
    },
    /** Paces what browsers send through the relay (a really slow upload), or stops pacing. */
    throttleUploads(bytesPerSecond: number | null) {
      uploadRate = bytesPerSecond;
    },
    async close() {
      cut();
      listener.close();
      await accepting;
    },
  };
}

/**
 * Picks `png` in the widget's composer as a user would (its file input comes with the lazy
 * widget-extra.js: a deadline with room for a loaded CI machine).
 */
export async function pickImage(page: Page, name: string, png: Uint8Array) {
  const file = page.locator("parley-widget input[type=file]");
  await file.waitFor({ state: "attached", timeout: 30_000 });
  await file.setInputFiles({ name, mimeType: "image/png", buffer: Buffer.from(png) });
}
