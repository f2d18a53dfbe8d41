/**
 * The original Star.Comet-Chat's own example site (tests/fixtures/star-comet-chat/backend-example)
 * served by real PHP (`php -S`), and what a browser needs to open its `userPage.php` here: the
 * page as PHP renders it with only the `chat.js` script tag swapped for Parley's `/widget.js`
 * (rewritten on the fly; the fixture stays as it is), and the page's CDN includes fulfilled
 * locally because there is no network (jQuery from npm, empty scripts for the rest).
 */
import type { BrowserContext, Route } from "playwright-core";
import { freePort } from "./ports.ts";

const FIXTURE = new URL("../fixtures/star-comet-chat/backend-example/", import.meta.url).pathname;
/** jQuery as the pinned npm package ships it (deno.json), resolved to its file in node_modules. */
const JQUERY = new URL(import.meta.resolve("jquery/dist/jquery.min.js"));
/** Where the original's pages include their libraries from (and its `home_dir`). */
export const CDN = "https://comet-server.com";

/** `<script … src="…/chat.js"></script>` as userPage.php has it. */
const CHAT_JS_TAG = /<script type="text\/javascript" src="[^"]*\/chat\.js"><\/script>/g;

/**
 * The site as browsers see it: a relay to PHP that passes every request and answer through as
 * they are (cookies included), except that in `userPage.php` the chat.js tag becomes
 * `<parley>/widget.js`. (A real server, not Playwright's request interception: Chromium treats a
 * fulfilled page as public and would refuse its requests to Parley on the loopback address.)
 */
export function startOriginalPages(php: string, parley: string) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const res = await fetch(php + url.pathname + url.search, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: "manual",
    });
    if (url.pathname !== "/userPage.php") return res;
    const page = await res.text();
    const tags = page.match(CHAT_JS_TAG) ?? [];
    if (tags.length !== 1) throw new Error(`userPage.php has ${tags.length} chat.js tags`);
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    const tag = `<script type="text/javascript" src="${parley}/widget.js"></script>`;
    return new Response(page.replace(CHAT_JS_TAG, tag), { status: res.status, headers });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

/**
 * The fixture's PHP site on a free port (sessions in a temp dir), until `close()`. With
 * `config`, a copy of it whose config.php (its users and their data) that function rewrote.
 */
export async function startPhpSite(opts: { config?: (php: string) => string } = {}) {
  const sessions = await Deno.makeTempDir({ prefix: "parley-php-" });
  let root = FIXTURE;
  if (opts.config) {
    root = `${sessions}/site/`;
    await Deno.mkdir(root);
    for await (const f of Deno.readDir(FIXTURE)) {
      await Deno.copyFile(FIXTURE + f.name, root + f.name);
    }
    const config = await Deno.readTextFile(root + "config.php");
    const changed = opts.config(config);
    if (changed === config) throw new Error("config.php was not changed");
    await Deno.writeTextFile(root + "config.php", changed);
  }
  const port = freePort();
  const child = new Deno.Command("php", {
    args: ["-d", `session.save_path=${sessions}`, "-S", `127.0.0.1:${port}`, "-t", root],
    // One process (no PHP_CLI_SERVER_WORKERS): its forked workers would outlive kill(). No
    // request here waits on another, so one at a time is enough.
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    try {
      await (await fetch(`${url}/chat_get_users.php`, { method: "POST" })).body?.cancel();
      break;
    } catch (e) {
      if (i > 200) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    url,
    /** The user_key the site renders for `id` (its daily md5, from its own callback). */
    async userKey(id: number): Promise<string> {
      const res = await fetch(`${url}/chat_get_user_hash.php`, {
        method: "POST",
        body: new URLSearchParams({ id: String(id) }),
      });
      return (await res.text()).trim();
    },
    async close() {
      child.kill();
      await child.status;
      await Deno.remove(sessions, { recursive: true });
    },
  };
}

/** What the original's page asks the CDN for, and how the test answers it. */
export interface CdnOptions {
  /** A stand-in for comet-server's `CometServerApi.js` ("present" variant); else 404. */
  cometLibrary?: string;
}

/**
 * Serves the browser context's requests outside this machine: the page's includes from the CDN
 * (jQuery from npm; jquery.cookie, moment and tinyscrollbar, used only by chat.js, as empty
 * scripts; the comet library as given or 404; CSS and images 404), and aborts anything else.
 * Every CDN request is recorded in the returned list (path only).
 */
export async function routeCdn(ctx: BrowserContext, opts: CdnOptions = {}) {
  const seen: string[] = [];
  const jquery = await Deno.readTextFile(JQUERY);
  const js = (route: Route, body: string) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body });
  await ctx.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== CDN) return route.abort();
    seen.push(url.pathname);
    const file = url.pathname.split("/").at(-1)!;
    if (file === "jquery.min.js") return js(route, jquery);
    if (file === "CometServerApi.js") {
      return opts.cometLibrary === undefined
        ? route.fulfill({ status: 404, body: "" })
        : js(route, opts.cometLibrary);
    }
    if (["jquery.cookie.js", "moment.min.js", "jquery.tinyscrollbar.js"].includes(file)) {
      return js(route, "");
    }
    return route.fulfill({ status: 404, body: "" });
  });
  return seen;
}

/**
 * An init script that records what the page passes to `StarCometChat.init` (`__opts`, and
 * `__optsJson` as it was then) and, for variants, adds `extra` options to it; the page's own
 * object is passed through untouched when there are none. `__errors` collects page errors.
 */
export function initSpy(extra: string = "") {
  return `window.__errors = [];
addEventListener("error", (e) => window.__errors.push(String(e.message)));
Object.defineProperty(window, "StarCometChat", {
  configurable: true,
  get() { return undefined; },
  set(v) {
    Object.defineProperty(window, "StarCometChat", { value: v, writable: true, configurable: true });
    const init = v.init;
    v.init = function (o) {
      window.__opts = o;
      window.__optsJson = JSON.stringify(o);
      const extra = (${extra || "null"});
      return init.call(this, extra ? Object.assign({}, o, extra) : o);
    };
  },
});`;
}
