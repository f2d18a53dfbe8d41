/**
 * Every write of a chatting user is rate-limited per user in KV (shared by all instances):
 * typing notices, read markers, favourites and blocks, tickets — 429 `rate_limited` with
 * Retry-After past the limit, and one user's burst never slows another.
 */
import assert from "node:assert/strict";
import { api, freshWindow, login, send, startServer } from "../support/helpers.ts";

type Err = { error: { code: string } };

Deno.test("rate limits: typing, read markers, favourites and blocks, tickets answer 429 past their limit", async () => {
  const s = await startServer({
    PARLEY_RATE_TYPING: "2/1m",
    PARLEY_RATE_READS: "2/1m",
    PARLEY_RATE_RELATIONS: "2/1m",
    PARLEY_RATE_TICKETS: "2/1m",
  });
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const m = await send(s.url, b, "a", "hi");
    const writes: [string, ((n: number) => ReturnType<typeof api<Err>>)][] = [
      ["typing", () => api<Err>(s.url, "POST", "/api/v1/dialogs/b/typing", { token: a })],
      [
        "reads",
        () =>
          api<Err>(s.url, "POST", "/api/v1/dialogs/b/read", { token: a, json: { up_to: m.id } }),
      ],
      // Favourites and blocks share one budget.
      [
        "relations",
        (n) =>
          api<Err>(s.url, "PUT", n === 1 ? "/api/v1/blocks/c" : "/api/v1/favourites/b", {
            token: a,
          }),
      ],
      [
        "tickets",
        () => api<Err>(s.url, "POST", "/api/v1/tickets", { token: a, json: { purpose: "images" } }),
      ],
    ];
    // One-minute windows: a run that crossed a window's end would count afresh mid-way.
    await freshWindow(60_000, 10_000);
    for (const [what, call] of writes) {
      for (let n = 0; n < 2; n++) assert.equal((await call(n)).status, 200, `${what} #${n + 1}`);
      const refused = await call(2);
      assert.equal(refused.status, 429, what);
      assert.equal(refused.body.error.code, "rate_limited");
      const wait = Number(refused.headers.get("retry-after"));
      assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `${what}: Retry-After ${wait}`);
    }
    // Another user's budget is their own.
    assert.equal((await api(s.url, "POST", "/api/v1/dialogs/a/typing", { token: b })).status, 200);
    assert.equal((await api(s.url, "PUT", "/api/v1/favourites/a", { token: b })).status, 200);
  } finally {
    await s.close();
  }
});
