/** Message ids: the ULID's random part as plain-number base32, the same as the 80-bit BigInt. */
import assert from "node:assert/strict";
import { encodeRandom, ulid } from "../../services/core/ids.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The 80 bits as one BigInt, written base32 from the lowest five up (the former code). */
function viaBigInt(bytes: Uint8Array): string {
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}

Deno.test("ulid: the random part matches the 80-bit number's base32, edges and 20,000 random draws", () => {
  const edges = [
    new Uint8Array(10),
    new Uint8Array(10).fill(255),
    Uint8Array.of(1, ...new Array(9).fill(0)),
  ];
  for (let i = 0; i < 10; i++) {
    edges.push(Uint8Array.from({ length: 10 }, (_, j) => (j === i ? 0x80 : 0)));
  }
  for (const b of edges) assert.equal(encodeRandom(b), viaBigInt(b), String(b));
  for (let i = 0; i < 20_000; i++) {
    const b = crypto.getRandomValues(new Uint8Array(10));
    assert.equal(encodeRandom(b), viaBigInt(b), String(b));
  }
  assert.equal(encodeRandom(new Uint8Array(10).fill(255)), "Z".repeat(16));
});

Deno.test("ulid: 26 Crockford characters, ordered by creation within one millisecond and across", () => {
  const ids = Array.from({ length: 5000 }, () => ulid(1_700_000_000_000));
  ids.push(ulid(1_700_000_000_001));
  for (const id of ids) assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1] < ids[i], `${ids[i - 1]} ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
});
