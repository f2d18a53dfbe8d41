/**
 * Erasing users who talked to each other, all at the same time: each erase blanks the events
 * about its user in the others' logs while those logs' own erases delete them. A blind re-write
 * of such an event brought it back after its log's erase had gone, leaving a log without its
 * counter (found by the fuzz test as `events_without_counter`). The harness's consistency check
 * at close, with every user listed as erased, is the assertion.
 */
import assert from "node:assert/strict";
import { login, send } from "../support/helpers.ts";
import { manage, startManaged } from "../support/manage_helpers.ts";

/** Users in a ring: each one has a dialog with the next. */
const RING = Array.from({ length: 8 }, (_, i) => `r${i}`);
const ROUNDS = 4;

Deno.test("erasing related users at once leaves every event log whole and nothing of them", async () => {
  const s = await startManaged();
  const erased: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const users = RING.map((u) => `${u}x${round}`);
      const tokens = await Promise.all(users.map((u) => login(s.url, u)));
      // Events about every user in both neighbours' logs (messages, reads, contacts).
      for (let n = 0; n < 6; n++) {
        await Promise.all(
          users.map((_, i) => send(s.url, tokens[i], users[(i + 1) % users.length], `hello ${n}`)),
        );
      }
      const results = await Promise.all(users.map((u) => manage(s.url, "DELETE", `/users/${u}`)));
      for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
      erased.push(...users);
    }
  } finally {
    await s.close({ erased });
  }
});
