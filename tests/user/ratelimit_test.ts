import assert from "node:assert/strict";
import { rateStep, takeRate } from "../../kv/ratelimit.ts";
import { keys } from "../../kv/keys.ts";
import { sendMessage } from "../../kv/messaging/messages.ts";
import { openKv, retryWhenLocked } from "../../kv/open.ts";
import { loadConfig } from "../../services/core/config.ts";
import { ConfigError } from "../../services/core/errors.ts";
import {
  api,
  AUTH_SECRET,
  freshWindow,
  login,
  send,
  startServer,
  tempKv,
} from "../support/helpers.ts";
import { makePng } from "../support/image_fixtures.ts";
import { startFakeLibre } from "../support/translate_fakes.ts";

type Err = { error: { code: string; message: string } };

function assert429(r: { status: number; headers: Headers; body: unknown }, maxSeconds: number) {
  assert.equal(r.status, 429);
  assert.equal((r.body as Err).error.code, "rate_limited");
  const retry = Number(r.headers.get("retry-after"));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= maxSeconds, `Retry-After ${retry}`);
}

Deno.test("rate limits: the 4th message in the window is 429 with Retry-After, per user", async () => {
  const s = await startServer({ PARLEY_RATE_MESSAGES: "3/10s" });
  try {
    await freshWindow(10_000, 5_000);
    const alice = await login(s.url, "alice");
    const bob = await login(s.url, "bob");
    for (let i = 0; i < 3; i++) await send(s.url, alice, "bob", `m${i}`);
    const r = await api(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: alice,
      json: { text: "one too many" },
      headers: { origin: "https://site.example" },
    });
    assert429(r, 10);
    assert.equal(r.headers.get("access-control-expose-headers"), "Retry-After");
    // Bob has his own budget, and the refused message was not stored.
    await send(s.url, bob, "alice", "reply");
    const hist = await api<{ messages: { text: string }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs/bob/messages",
      { token: alice },
    );
    assert.deepEqual(hist.body.messages.map((m) => m.text), ["m0", "m1", "m2", "reply"]);
  } finally {
    await s.close();
  }
});

Deno.test("rate limits: uploads, complaints and translations have their own limits", async () => {
  const fake = startFakeLibre();
  const s = await startServer({
    PARLEY_RATE_UPLOADS: "2/h",
    PARLEY_RATE_COMPLAINTS: "1/h",
    PARLEY_RATE_TRANSLATIONS: "1/h",
    PARLEY_TRANSLATE_PROVIDER: "libretranslate",
    PARLEY_TRANSLATE_URL: fake.url,
  });
  try {
    await freshWindow(3_600_000, 10_000);
    const alice = await login(s.url, "alice");
    const png = await makePng(4, 4);
    const upload = () => {
      const form = new FormData();
      form.set("image", new File([png], "p.png"));
      return api(s.url, "POST", "/api/v1/dialogs/bob/messages", { token: alice, body: form });
    };
    assert.equal((await upload()).status, 201);
    assert.equal((await upload()).status, 201);
    assert429(await upload(), 3600);
    const text = await send(s.url, alice, "bob", "text still goes");

    const complain = (user_id: string) =>
      api(s.url, "POST", "/api/v1/complaints", {
        token: alice,
        json: { user_id, reason: "spam" },
      });
    assert.equal((await complain("bob")).status, 201);
    assert429(await complain("carol"), 3600);

    const translate = (lang: string) =>
      api(s.url, "POST", `/api/v1/messages/${text.id}/translate`, {
        token: alice,
        json: { lang },
      });
    assert.equal((await translate("de")).status, 200);
    assert429(await translate("fr"), 3600);
    // A cached translation costs the provider nothing and is not limited.
    assert.equal((await translate("de")).status, 200);
    assert.equal(fake.seen.length, 1);
  } finally {
    await s.close();
    await fake.close();
  }
});

Deno.test("rate limits: counted in KV, so two instances share one budget; windows roll over", async () => {
  const path = await Deno.makeTempFile({ suffix: ".sqlite" });
  // Two handles on one file are two SQLite writers: as openKv does, each retries while the other
  // holds the lock (a raw handle failed this test once with "database is locked").
  const a = retryWhenLocked(await Deno.openKv(path));
  const b = retryWhenLocked(await Deno.openKv(path));
  try {
    const limit = { count: 2, windowMs: 10_000 };
    const t0 = 1_700_000_000_000; // a window boundary
    assert.deepEqual(await takeRate(a, "messages", "u", limit, t0), { allowed: true });
    assert.deepEqual(await takeRate(b, "messages", "u", limit, t0 + 10), { allowed: true });
    assert.deepEqual(await takeRate(a, "messages", "u", limit, t0 + 2500), {
      allowed: false,
      retryAfterSeconds: 8,
    });
    assert.deepEqual(await takeRate(b, "messages", "u", limit, t0 + 9999), {
      allowed: false,
      retryAfterSeconds: 1,
    });
    assert.deepEqual(await takeRate(b, "uploads", "u", limit, t0 + 9999), { allowed: true });
    assert.deepEqual(await takeRate(b, "messages", "u", limit, t0 + 10_000), { allowed: true });
    // Concurrent requests never overshoot the limit (one handle: a local SQLite file is meant
    // for one process; real instances share Deploy KV or a KV Connect server).
    const results = await Promise.all(
      Array.from({ length: 10 }, () => takeRate(a, "burst", "u", limit, t0)),
    );
    assert.equal(results.filter((r) => r.allowed).length, 2);
  } finally {
    a.close();
    b.close();
    await Deno.remove(path);
  }
});

Deno.test("rate limits: PARLEY_RATE_* parse, defaults, off, and one-line errors", () => {
  const base = { PARLEY_AUTH_SECRET: AUTH_SECRET };
  const defaults = loadConfig(base).rateLimits;
  assert.deepEqual(defaults, {
    messages: { count: 20, windowMs: 10_000 },
    uploads: { count: 10, windowMs: 60_000 },
    complaints: { count: 5, windowMs: 3_600_000 },
    translations: { count: 30, windowMs: 60_000 },
    tickets: { count: 60, windowMs: 60_000 },
    typing: { count: 60, windowMs: 60_000 },
    reads: { count: 120, windowMs: 60_000 },
    relations: { count: 30, windowMs: 60_000 },
    signIn: { count: 10, windowMs: 60_000 },
    signInIp: { count: 30, windowMs: 60_000 },
  });
  const parsed = loadConfig({
    ...base,
    PARLEY_RATE_MESSAGES: "50/30s",
    PARLEY_RATE_UPLOADS: "5 / 2m",
    PARLEY_RATE_COMPLAINTS: "3/d",
    PARLEY_RATE_TRANSLATIONS: "off",
    PARLEY_RATE_TICKETS: "2/1m",
    PARLEY_RATE_TYPING: "off",
    PARLEY_RATE_READS: "9/9s",
    PARLEY_RATE_RELATIONS: "1/d",
  }).rateLimits;
  assert.deepEqual(parsed, {
    messages: { count: 50, windowMs: 30_000 },
    uploads: { count: 5, windowMs: 120_000 },
    complaints: { count: 3, windowMs: 86_400_000 },
    translations: null,
    tickets: { count: 2, windowMs: 60_000 },
    typing: null,
    reads: { count: 9, windowMs: 9_000 },
    relations: { count: 1, windowMs: 86_400_000 },
    signIn: { count: 10, windowMs: 60_000 },
    signInIp: { count: 30, windowMs: 60_000 },
  });
  for (const bad of ["20", "20/10", "20/10x", "0/10s", "20/0s", "-1/1s", "abc", "20/8d"]) {
    assert.throws(() => loadConfig({ ...base, PARLEY_RATE_UPLOADS: bad }), (e) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.variable, "PARLEY_RATE_UPLOADS");
      assert.equal(
        e.message,
        `PARLEY_RATE_UPLOADS: must be a count per window like "20/10s", "30/1m", "5/h" ` +
          `(1 s to 7 d) or "off", got "${bad}"`,
      );
      return true;
    });
  }
});

Deno.test("rate limits: a send's count needs no check of its own, and racing sends of one user on two instances count exactly", async () => {
  // Two handles on one file: two instances, each with its own group commit.
  const { kv: one, path, cleanup } = await tempKv("parley-rate-");
  const two = await openKv(path);
  const proto = Deno.AtomicOperation.prototype;
  const check = proto.check;
  const checked: string[] = [];
  proto.check = function (this: Deno.AtomicOperation, ...c: Deno.AtomicCheck[]) {
    for (const x of c) checked.push(JSON.stringify(x.key));
    return check.apply(this, c);
  };
  try {
    const limit = { count: 5, windowMs: 60_000 };
    const rate = rateStep("messages", "u", limit)!;
    await sendMessage(one, { from: "u", to: "p0", text: "first", rate });
    const counter = JSON.stringify(rate.window().key);
    assert.ok(
      checked.includes(JSON.stringify(keys.eventSeq("u"))),
      "the sender's counter is checked",
    );
    assert.ok(
      !checked.includes(counter),
      "the rate counter is not: the sender's counter covers it",
    );
    // Twelve more at once, half on each instance: exactly four fit in the window's five.
    const sends = Array.from(
      { length: 12 },
      (_, i) =>
        sendMessage(i % 2 ? two : one, { from: "u", to: `p${i + 1}`, text: `#${i}`, rate }).then(
          () => "sent",
          (e) => e?.code ?? String(e),
        ),
    );
    const outcomes = await Promise.all(sends);
    assert.equal(outcomes.filter((o) => o === "sent").length, 4, JSON.stringify(outcomes));
    assert.ok(
      outcomes.every((o) => o === "sent" || o === "rate_limited"),
      JSON.stringify(outcomes),
    );
    assert.equal((await one.get<number>(rate.window().key)).value, 5);
    assert.equal((await one.get<number>(keys.eventSeq("u"))).value, 5, "five sends, five events");
  } finally {
    proto.check = check;
    two.close();
    await cleanup();
  }
});
