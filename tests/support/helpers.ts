/** Test harness: a real Parley over real HTTP on a random port with a temp KV file. */
import { signedUserKey } from "../../services/host/auth.ts";
import { loadConfig } from "../../services/core/config.ts";
import { upsertProfile } from "../../kv/people/users.ts";
import { log } from "../../services/core/log.ts";
import { type Parley, startParley } from "../../server.ts";
import "./kv_limits.ts";
import { checkConsistency } from "../../kv/consistency.ts";
import { openKv } from "../../kv/open.ts";

log.quiet = true;

export const AUTH_SECRET = "test-auth-secret-0123456789";
export const API_SECRET = "test-api-secret-0123456789";

export interface TestServer {
  url: string;
  parley: Parley;
  kvPath: string;
  /**
   * Stops the server, then checks the store it leaves (kv/consistency.ts) and fails the test on
   * any violation; `erased` also asserts that nothing is left of those users.
   */
  close(opts?: { erased?: string[] }): Promise<void>;
}

/** Opens a closed server's KV file and throws if it breaks any invariant. */
export async function assertConsistent(kvPath: string, erased: string[] = []) {
  const kv = await Deno.openKv(kvPath);
  try {
    const violations = await checkConsistency(kv, { erased });
    if (violations.length) {
      const list = violations.slice(0, 20).map((v) => JSON.stringify(v)).join("\n");
      throw new Error(`KV consistency: ${violations.length} violation(s)\n${list}`);
    }
  } finally {
    kv.close();
  }
}

/**
 * Rate-limit windows are fixed (aligned to the clock, kv/ratelimit.ts), so a test that must stay
 * inside one waits for a fresh window when the current one has less than `needMs` left.
 */
export async function freshWindow(windowMs: number, needMs: number) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 20));
}

/** Removes a KV file with its -wal and -shm companions (those that exist). */
export async function removeKvFile(path: string) {
  for (const ext of ["", "-wal", "-shm"]) await Deno.remove(path + ext).catch(() => {});
}

/** A temp KV file opened as Parley opens it (kv/open.ts). */
export interface TempKv {
  kv: Deno.Kv;
  /** The file, for a second handle on it (another isolate). */
  path: string;
  /** Closes the handle and removes the file. */
  cleanup(): Promise<void>;
}

export async function tempKv(prefix = "parley-kv-"): Promise<TempKv> {
  const path = await Deno.makeTempFile({ prefix, suffix: ".sqlite" });
  const kv = await openKv(path);
  return {
    kv,
    path,
    async cleanup() {
      kv.close();
      await removeKvFile(path);
    },
  };
}

/** Starts Parley with signed mode on and the given extra environment. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  // A given PARLEY_KV_PATH (a store a test prepared) is checked the same way but left in place.
  const given = env.PARLEY_KV_PATH;
  const kvPath = given ?? await Deno.makeTempFile({ prefix: "parley-test-", suffix: ".sqlite" });
  const cfg = loadConfig({
    PORT: "0",
    PARLEY_KV_PATH: kvPath,
    PARLEY_AUTH_SECRET: AUTH_SECRET,
    PARLEY_API_SECRET: API_SECRET,
    // Tests send in bursts; the rate-limit tests switch limits back on explicitly.
    PARLEY_RATE_MESSAGES: "off",
    PARLEY_RATE_UPLOADS: "off",
    PARLEY_RATE_COMPLAINTS: "off",
    PARLEY_RATE_TRANSLATIONS: "off",
    PARLEY_RATE_TICKETS: "off",
    PARLEY_RATE_TYPING: "off",
    PARLEY_RATE_READS: "off",
    PARLEY_RATE_RELATIONS: "off",
    PARLEY_RATE_SIGNIN: "off",
    PARLEY_RATE_SIGNIN_IP: "off",
    ...env,
  });
  const parley = await startParley(cfg, { hostname: "127.0.0.1" });
  return {
    url: parley.url,
    parley,
    kvPath,
    async close(opts = {}) {
      await parley.close();
      try {
        await assertConsistent(kvPath, opts.erased);
      } finally {
        if (!given) {
          await removeKvFile(kvPath);
        }
      }
    },
  };
}

/** Stores a profile as the site would (manage API upsert): name, login, and optionally an error. */
export function seedProfile(
  kv: Deno.Kv,
  uid: string,
  fields: { name?: string; login?: string; error?: string } = {},
) {
  return upsertProfile(kv, {
    user_id: uid,
    name: fields.name ?? uid,
    login: fields.login ?? uid,
    avatar_url: null,
    city: "",
    age: null,
    status: "",
    error: fields.error ?? "",
  });
}

export function userKey(uid: string): Promise<string> {
  return signedUserKey(AUTH_SECRET, uid);
}

export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** One JSON request; returns status, headers and parsed body (or text for non-JSON). */
export async function api<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** A ticket for one URL (`events`, `images`) made from a bearer session. */
export async function ticket(base: string, token: string, purpose: string): Promise<string> {
  const r = await api<{ ticket: string }>(base, "POST", "/api/v1/tickets", {
    token,
    json: { purpose },
  });
  if (r.status !== 200) throw new Error(`ticket ${purpose}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.ticket;
}

/** Signs a user in (signed mode) and returns their bearer token. */
export async function login(base: string, uid: string): Promise<string> {
  const r = await api<{ token: string }>(base, "POST", "/api/v1/session", {
    json: { user_id: uid, user_key: await userKey(uid) },
  });
  if (r.status !== 200) throw new Error(`login ${uid}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

export async function send(base: string, token: string, peer: string, text: string) {
  const r = await api<{ message: { id: string } }>(
    base,
    "POST",
    `/api/v1/dialogs/${peer}/messages`,
    {
      token,
      json: { text },
    },
  );
  if (r.status !== 201) throw new Error(`send: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.message;
}

export interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** A real SSE client over fetch: parses frames and hands them out in order. */
export class SseClient {
  events: SseEvent[] = [];
  comments = 0;
  #waiters: (() => void)[] = [];
  #abort = new AbortController();
  #done: Promise<void>;
  status = 0;

  private constructor(readonly res: Response) {
    this.status = res.status;
    this.#done = this.#read();
  }

  /**
   * Opens a stream as a browser does: the user's stream with a fresh ticket in the URL (an
   * EventSource sends no header), any other path (the admin monitor) with the bearer header.
   */
  static async open(
    base: string,
    token: string,
    opts: { lastEventId?: string; query?: string; path?: string } = {},
  ): Promise<SseClient> {
    const abort = new AbortController();
    const path = opts.path ?? "/api/v1/events";
    const headers: Record<string, string> = { accept: "text/event-stream" };
    const params = new URLSearchParams((opts.query ?? "").replace(/^&/, ""));
    if (path === "/api/v1/events") params.set("ticket", await ticket(base, token, "events"));
    else headers.authorization = `Bearer ${token}`;
    if (opts.lastEventId !== undefined) headers["last-event-id"] = opts.lastEventId;
    const query = params.toString();
    const res = await fetch(
      `${base}${path}${query ? "?" + query : ""}`,
      { headers, signal: abort.signal },
    );
    const c = new SseClient(res);
    c.#abort = abort;
    return c;
  }

  async #read() {
    if (!this.res.body) return;
    const reader = this.res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const raw = buf.slice(0, i);
          buf = buf.slice(i + 2);
          this.#parse(raw);
        }
      }
    } catch {
      // aborted
    }
  }

  #parse(raw: string) {
    const ev: SseEvent = { event: "message", data: undefined };
    let data = "";
    let any = false;
    for (const line of raw.split("\n")) {
      if (line.startsWith(":")) {
        this.comments++;
        continue;
      }
      const [k, ...rest] = line.split(":");
      const v = rest.join(":").replace(/^ /, "");
      if (k === "id") ev.id = v;
      else if (k === "event") ev.event = v;
      else if (k === "data") data += v;
      else continue;
      any = true;
    }
    if (!any || !data) return;
    ev.data = JSON.parse(data);
    this.events.push(ev);
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Waits until `pred` matches some received event (after index `from`); returns it. */
  async waitFor(
    pred: (e: SseEvent) => boolean,
    timeoutMs = 5000,
    from = 0,
  ): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const hit = this.events.slice(from).find(pred);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no matching SSE event in ${timeoutMs} ms; got ${JSON.stringify(this.events)}`,
        );
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Waits until `n` events of `type` arrived; returns them. */
  async waitCount(type: string, n: number, timeoutMs = 5000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.filter((e) => e.event === type).length < n) {
      if (Date.now() > deadline) {
        throw new Error(
          `wanted ${n} ${type} events, got ${this.events.filter((e) => e.event === type).length}`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.events.filter((e) => e.event === type);
  }

  ofType(type: string) {
    return this.events.filter((e) => e.event === type);
  }

  /** Resolves when the server ends the stream (or it is closed). */
  get done(): Promise<void> {
    return this.#done;
  }

  async close() {
    this.#abort.abort();
    await this.#done;
  }
}

/** A tiny real host site answering the original's two callbacks, with call counters. */
export function startHostSite(
  users: Record<string, Record<string, unknown>>,
  hashes: Record<string, string>,
  opts: { infoBody?: (ids: string[]) => string; hashStatus?: number } = {},
) {
  const calls = { info: [] as string[], hash: [] as string[], contentTypes: [] as string[] };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const url = new URL(req.url);
    calls.contentTypes.push(req.headers.get("content-type") ?? "");
    const form = new URLSearchParams(await req.text());
    if (url.pathname === "/users-info") {
      const ids = (form.get("users") ?? "").split(",").filter(Boolean);
      calls.info.push(form.get("users") ?? "");
      if (opts.infoBody) return new Response(opts.infoBody(ids));
      // Like the original's PHP example: a JSON array with a trailing comma.
      const items = ids.filter((id) => users[id]).map((id) => JSON.stringify(users[id]));
      return new Response(`[${items.map((s) => s + ",").join("")}]`, {
        headers: { "content-type": "text/html" },
      });
    }
    if (url.pathname === "/users-hash") {
      const id = form.get("id") ?? "";
      calls.hash.push(id);
      if (opts.hashStatus) return new Response("oops", { status: opts.hashStatus });
      return new Response(hashes[id] ?? "");
    }
    return new Response("not found", { status: 404 });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    calls,
    infoUrl: `${base}/users-info`,
    hashUrl: `${base}/users-hash`,
    close: () => server.shutdown(),
  };
}

/**
 * Waits for `want` message events on `stream` (user `uid`'s) and asserts that each came once,
 * with ids in increasing order, and each is about `uid` (its text names them).
 */
export async function assertMessagesOnce(stream: SseClient, uid: string, want: number) {
  const got = await stream.waitCount("message", want, 20_000);
  const texts = got.map((e) => (e.data as { text: string }).text);
  if (new Set(texts).size !== want) throw new Error(`${uid} got a message twice`);
  const ids = got.map((e) => Number(e.id));
  if (ids.some((id, n) => n > 0 && id <= ids[n - 1])) {
    throw new Error(`${uid}'s events out of order`);
  }
  const stray = texts.find((t) => !t.includes(uid));
  if (stray) throw new Error(`${uid} got ${stray}`);
}
