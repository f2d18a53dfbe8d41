/**
 * The fuzz test: a few thousand randomised and malformed requests across every route of the
 * three audiences (chatting users, admins, the site's server), eight at a time, with users being
 * deleted while others message them. Every answer must be below 500, and the store must pass the
 * consistency check afterwards (the harness runs it when the server closes). The seed is printed
 * on failure; FUZZ_SEED=<n> replays a run, FUZZ_REQUESTS=<n> changes its length.
 */
import assert from "node:assert/strict";
import { API_SECRET, login, send } from "../support/helpers.ts";
import { concat, makeGif, makePng } from "../support/image_fixtures.ts";
import { startManaged } from "../support/manage_helpers.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 1_000_000);
const REQUESTS = Number(Deno.env.get("FUZZ_REQUESTS") ?? 3000);
const WORKERS = 8;
const USERS = ["u1", "u2", "u3", "u4", "u5", "u6", "boss"];

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Audience = "user" | "admin" | "manage" | "none";
interface Route {
  method: string;
  path: string;
  who: Audience;
  body?: "json" | "send" | "none";
}

/** Every route, by the audience whose credentials it is normally called with. */
const ROUTES: Route[] = [
  { method: "POST", path: "/api/v1/session", who: "none", body: "json" },
  { method: "DELETE", path: "/api/v1/session", who: "user" },
  { method: "GET", path: "/api/v1/dialogs", who: "user" },
  { method: "GET", path: "/api/v1/dialogs/:peer/messages", who: "user" },
  { method: "POST", path: "/api/v1/dialogs/:peer/messages", who: "user", body: "send" },
  { method: "POST", path: "/api/v1/dialogs/:peer/read", who: "user", body: "json" },
  { method: "POST", path: "/api/v1/dialogs/:peer/typing", who: "user" },
  { method: "GET", path: "/api/v1/unread", who: "user" },
  { method: "GET", path: "/api/v1/events", who: "user" },
  { method: "GET", path: "/api/v1/attachments/:id", who: "user" },
  { method: "POST", path: "/api/v1/complaints", who: "user", body: "json" },
  { method: "POST", path: "/api/v1/messages/:id/translate", who: "user", body: "json" },
  { method: "GET", path: "/api/v1/features", who: "user" },
  { method: "GET", path: "/api/v1/contacts", who: "user" },
  { method: "PUT", path: "/api/v1/favourites/:peer", who: "user" },
  { method: "DELETE", path: "/api/v1/favourites/:peer", who: "user" },
  { method: "PUT", path: "/api/v1/blocks/:peer", who: "user" },
  { method: "DELETE", path: "/api/v1/blocks/:peer", who: "user" },
  { method: "GET", path: "/api/v1/admin/stats", who: "admin" },
  { method: "GET", path: "/api/v1/admin/messages", who: "admin" },
  { method: "GET", path: "/api/v1/admin/messages/:id", who: "admin" },
  { method: "DELETE", path: "/api/v1/admin/messages/:id", who: "admin", body: "json" },
  { method: "GET", path: "/api/v1/admin/attachments/:id", who: "admin" },
  { method: "GET", path: "/api/v1/admin/users", who: "admin" },
  { method: "GET", path: "/api/v1/admin/users/:peer", who: "admin" },
  { method: "GET", path: "/api/v1/admin/profiles", who: "admin" },
  { method: "GET", path: "/api/v1/admin/bans", who: "admin" },
  { method: "PUT", path: "/api/v1/admin/bans/:peer", who: "admin", body: "json" },
  { method: "DELETE", path: "/api/v1/admin/bans/:peer", who: "admin" },
  { method: "GET", path: "/api/v1/admin/audit", who: "admin" },
  { method: "GET", path: "/api/v1/admin/complaints", who: "admin" },
  { method: "GET", path: "/api/v1/admin/complaints/:id", who: "admin" },
  { method: "POST", path: "/api/v1/admin/complaints/:id/resolve", who: "admin", body: "json" },
  { method: "POST", path: "/api/v1/admin/complaints/:id/dismiss", who: "admin", body: "json" },
  { method: "POST", path: "/api/v1/admin/complaints/bulk", who: "admin", body: "json" },
  { method: "PUT", path: "/api/v1/admin/complaints/:id/assignee", who: "admin", body: "json" },
  { method: "GET", path: "/api/v1/admin/export/messages", who: "admin" },
  { method: "GET", path: "/api/v1/admin/export/complaints", who: "admin" },
  { method: "GET", path: "/api/v1/admin/export/audit", who: "admin" },
  { method: "GET", path: "/api/v1/admin/events", who: "admin" },
  { method: "GET", path: "/api/v1/admin/session", who: "admin" },
  { method: "GET", path: "/admin", who: "none" },
  { method: "PUT", path: "/api/v1/manage/users/:peer", who: "manage", body: "json" },
  { method: "DELETE", path: "/api/v1/manage/users/:peer", who: "manage" },
  { method: "POST", path: "/api/v1/manage/users/:peer/login", who: "manage", body: "json" },
  { method: "POST", path: "/api/v1/manage/users/:peer/logout", who: "manage" },
  {
    method: "POST",
    path: "/api/v1/manage/users/:peer/system-message",
    who: "manage",
    body: "json",
  },
  { method: "GET", path: "/api/v1/manage/users/:peer/export", who: "manage" },
  { method: "GET", path: "/api/v1/manage/users/:peer/unread", who: "manage" },
  { method: "GET", path: "/api/v1/manage/users/:peer/presence", who: "manage" },
  { method: "PUT", path: "/api/v1/manage/users/:peer/ban", who: "manage", body: "json" },
  { method: "DELETE", path: "/api/v1/manage/users/:peer/ban", who: "manage" },
  { method: "PUT", path: "/api/v1/manage/users/:peer/blocks/:peer", who: "manage" },
  { method: "DELETE", path: "/api/v1/manage/users/:peer/blocks/:peer", who: "manage" },
  { method: "PUT", path: "/api/v1/manage/users/:peer/role", who: "manage", body: "json" },
  { method: "POST", path: "/api/v1/manage/users/:peer/admin-signin", who: "manage" },
  { method: "GET", path: "/api/v1/manage/webhooks/log", who: "manage" },
  { method: "GET", path: "/api/v1/manage/maintenance", who: "manage" },
  { method: "POST", path: "/api/v1/manage/retention/sweep", who: "manage" },
  { method: "GET", path: "/healthz", who: "none" },
];

const NASTY = [
  "",
  "0",
  "02",
  "2abc",
  "-1",
  "1e9",
  "system",
  "@admin",
  "a".repeat(300),
  "../../etc/passwd",
  "%00",
  "%2F",
  "ёжик",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "null",
  "01HZZZZZZZZZZZZZZZZZZZZZZZ",
  "00000000000000000000000000",
  "🙂",
  " u1",
];

Deno.test({
  name: "fuzz: thousands of random and malformed requests on every route, 0 answers >= 500",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const rnd = prng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const s = await startManaged({
      PARLEY_ADMIN_IDS: "boss",
      PARLEY_RETENTION_DAYS: "30",
      PARLEY_SSE_HEARTBEAT_MS: "30000",
    });
    const ids: string[] = [];
    const tokens: Record<string, string> = {};
    for (const u of USERS) tokens[u] = await login(s.url, u);
    for (let i = 0; i < 20; i++) {
      const from = pick(USERS);
      const to = pick(USERS.filter((u) => u !== from));
      ids.push((await send(s.url, tokens[from], to, `seed ${i}`)).id);
    }
    const png = await makePng(20, 10);
    const images = [png, makeGif(8, 8), concat(png, new Uint8Array(300_000)), png.slice(0, 30)];

    const value = (): string => rnd() < 0.5 ? pick(USERS) : rnd() < 0.5 ? pick(ids) : pick(NASTY);
    const jsonBody = (): unknown => {
      const r = rnd();
      if (r < 0.1) return pick([null, 7, "text", [], true]);
      const fields = [
        "text",
        "up_to",
        "user_id",
        "user_key",
        "message_id",
        "reason",
        "note",
        "name",
        "login",
        "city",
        "age",
        "avatar_url",
        "error",
        "role",
        "lang",
        "status",
      ];
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--) {
        o[pick(fields)] = pick<unknown>([
          value(),
          "x".repeat(Math.floor(rnd() * 5000)),
          Math.floor(rnd() * 1e6) - 5,
          null,
          { nested: value() },
          [value()],
          pick(ids),
          "spam",
          "admin",
          "en",
        ]);
      }
      return o;
    };

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const one = async () => {
      const route = pick(ROUTES);
      const path = route.path.replace(/:(peer|id)/g, () => encodeURIComponent(value())) +
        (rnd() < 0.3
          ? `?${
            pick(["limit", "cursor", "before", "q", "user", "from", "to", "state", "status"])
          }=${encodeURIComponent(value())}`
          : "");
      const headers: Record<string, string> = {};
      const who = rnd() < 0.85 ? route.who : pick<Audience>(["user", "admin", "manage", "none"]);
      if (who === "user") headers.authorization = `Bearer ${tokens[pick(USERS)]}`;
      if (who === "admin") headers.authorization = `Bearer ${tokens.boss}`;
      if (who === "manage") headers.authorization = `Bearer ${API_SECRET}`;
      if (rnd() < 0.03) {
        headers.authorization = pick(["Bearer ", "Basic x", "Bearer " + "z".repeat(200)]);
      }
      let body: BodyInit | undefined;
      const kind = route.body ?? "none";
      if (route.method !== "GET" && (kind !== "none" || rnd() < 0.05)) {
        const r = rnd();
        if (kind === "send" && r < 0.3) {
          const form = new FormData();
          if (rnd() < 0.7) form.set("text", value());
          form.set(
            "image",
            new File([pick(images)], "f.png", { type: pick(["image/png", "text/plain"]) }),
          );
          body = form;
        } else if (r < 0.8) {
          headers["content-type"] = "application/json";
          body = JSON.stringify(jsonBody());
        } else {
          headers["content-type"] = pick(["application/json", "text/plain", "multipart/form-data"]);
          body = pick(["{", '{"text":', "\u0000\u0001", "[]", "x".repeat(70_000)]);
        }
      }
      const label = `${route.method} ${path}`;
      try {
        const res = await fetch(s.url + path, { method: route.method, headers, body });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const type = res.headers.get("content-type") ?? "";
        let text = "";
        if (type.includes("event-stream")) await res.body?.cancel();
        else text = await res.text();
        // Translation is off on this server: its 503 is the documented answer, not a failure.
        const designed = res.status === 503 && text.includes('"translate_disabled"');
        if (res.status >= 500 && !designed) failures.push(`${res.status} ${label} ${text}`);
      } catch (e) {
        failures.push(`${label}: ${e}`);
      }
      // Users come back after a delete or a log-out, so the run keeps exercising them.
      if (rnd() < 0.02) {
        const u = pick(USERS);
        tokens[u] = await login(s.url, u).catch(() => tokens[u]);
      }
    };
    const worker = async () => {
      while (next++ < REQUESTS) await one();
    };
    try {
      await Promise.all(Array.from({ length: WORKERS }, worker));
      const summary = JSON.stringify(Object.fromEntries(statuses));
      assert.deepEqual(failures, [], `seed ${SEED}: ${summary}`);
      // The run really reached the handlers, not only the guards.
      assert.ok((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0) > REQUESTS / 10, summary);
    } catch (e) {
      console.error(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
      await s.close().catch(() => {});
      throw e;
    }
    // Nothing half-written: the harness checks the store as the server closes.
    await s.close().catch((e) => {
      console.error(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
      throw e;
    });
  },
});
