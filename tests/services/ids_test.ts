import assert from "node:assert/strict";
import { loadConfig } from "../../services/core/config.ts";
import { isUserId, normaliseUserId } from "../../services/core/ids.ts";

Deno.test("ids: a numeric id has one spelling; padded ones are refused everywhere ids are parsed", () => {
  assert.equal(normaliseUserId(2), "2");
  assert.equal(normaliseUserId(" 2 "), "2");
  assert.equal(normaliseUserId("0"), "0");
  assert.equal(normaliseUserId(0), "0");
  assert.equal(normaliseUserId("20"), "20");
  assert.equal(normaliseUserId("2abc"), "2abc", "a string id of its own, not 2");
  assert.equal(normaliseUserId("0abc"), "0abc");
  for (const padded of ["02", "002", "00", "0007"]) {
    assert.throws(() => normaliseUserId(padded), /leading zeros/, padded);
    assert.equal(isUserId(padded), false, padded);
  }
  assert.throws(() => normaliseUserId(-2), /user id must be/);
  assert.throws(() => normaliseUserId(2.5), /user id must be/);
  const base = { PARLEY_AUTH_SECRET: "x".repeat(20) };
  assert.deepEqual([...loadConfig({ ...base, PARLEY_ADMIN_IDS: "1, 20" }).adminIds], ["1", "20"]);
  assert.throws(
    () => loadConfig({ ...base, PARLEY_ADMIN_IDS: "1,02" }),
    /PARLEY_ADMIN_IDS: "02" is not a user id/,
  );
});
