/**
 * RecordedOp's size estimate (kv/recorded_op.ts), which keeps a group commit's batch under KV's
 * 800 KiB: never below what V8's serializer (Deno KV's value encoding) makes of a value, and not
 * so far above it that batches shrink for nothing.
 */
import assert from "node:assert/strict";
import { serialize } from "node:v8";
import { RecordedOp, sizeOf } from "../../kv/recorded_op.ts";

const message = {
  id: "01JF3Z8Q6S8W2V0K1M9XG7T5RB",
  from: "u123",
  to: "u456",
  text: "Привет! Как дела? 👋 ".repeat(20),
  created_at: new Date().toISOString(),
  read_at: null,
  attachment: { id: "a1", mime: "image/png", width: 64, height: 64, bytes: 1234 },
  reply_to: { id: "01JF3Z8Q6S8W2V0K1M9XG7T5RA", text: "earlier", from: "u456" },
};

const values: unknown[] = [
  null,
  0,
  -1,
  2 ** 53,
  1.5,
  123456789012345678901234567890n,
  true,
  "",
  "ascii text",
  "ж".repeat(1000),
  "😀".repeat(500),
  "x".repeat(60_000),
  message,
  { side: { peer: "u1", unread: 3, last_id: "01J", last_message: { text: "hi" } } },
  [1, 2, 3, "four", { five: 5 }],
  // Distinct copies: V8 writes a repeated reference as a back-reference, the estimate counts it
  // again (over, the safe side).
  Array.from(
    { length: 20 },
    (_, i) => ({ seq: i, type: "message", data: structuredClone(message) }),
  ),
  new Uint8Array(50_000),
  { parts: [new Uint8Array(1000), new Uint8Array(2000)] },
  new Date(),
  new Map<string, unknown>([["a", 1], ["b", { c: "d" }]]),
  new Set(["x", "y"]),
  { nested: { deeper: { deepest: ["a", "b", { e: 1 }] } } },
];

Deno.test("recorded op size: never under V8's serialized size, at most a few times over", () => {
  for (const v of values) {
    const actual = serialize(v).length;
    const estimate = sizeOf(v);
    const what = typeof v === "object" && v ? Object.keys(v).slice(0, 3).join(",") : String(v);
    assert.ok(estimate >= actual, `${what}: estimate ${estimate} < serialized ${actual}`);
    assert.ok(estimate <= 4 * actual + 64, `${what}: estimate ${estimate} for ${actual}`);
  }
});

Deno.test("recorded op size: a huge or deep value is capped as surely large, and a write adds it up", () => {
  assert.equal(sizeOf("x".repeat(500_000)), 140_000);
  let deep: unknown = "end";
  for (let i = 0; i < 100; i++) deep = { deep };
  assert.equal(sizeOf(deep), 140_000);
  // A view inside a value: V8 writes its whole buffer.
  const view = { p: [new Uint8Array(200_000).subarray(0, 10)] };
  assert.ok(sizeOf(view) >= Math.min(serialize(view).length, 140_000));
  // An Error or a RegExp is not walked as a plain object (its message, its source).
  assert.equal(sizeOf({ e: new Error("x".repeat(10)) }), 140_000);
  assert.equal(sizeOf(/a+/), 140_000);
  // A huge sparse array stops at the cap instead of visiting 2^32 - 1 slots.
  const sparse: unknown[] = [];
  sparse.length = 2 ** 32 - 1;
  assert.equal(sizeOf(sparse), 140_000);
  const rec = new RecordedOp();
  rec.set(["m", 1], message).set(["n", 2], 5).delete(["o", 3]);
  assert.equal(rec.mutations, 3);
  assert.ok(rec.bytes >= serialize(message).length + serialize(5).length);
});
