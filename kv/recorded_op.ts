/**
 * An atomic operation written down instead of sent: what a write would check and change, kept so
 * that several writes can be replayed into one `kv.atomic()` (group commit, kv/group_commit.ts)
 * or, when that batch fails, each into its own. Code that builds a write takes a
 * `Deno.AtomicOperation` and never knows which it got.
 */

type Step = (op: Deno.AtomicOperation) => void;

/** Bytes above which a value is not measured further (it is surely large). */
const MEASURE_CAP = 140_000;

/**
 * An upper estimate of the bytes V8's serializer (which Deno KV stores values with) makes of
 * `value`, by walking it: two bytes per character of every string and key (V8 uses one for
 * Latin-1), 16 per number, field and array slot, a Uint8Array's length. Every mutation of every
 * write is measured (group commit keeps a batch under KV's 800 KiB): the walk makes no copy and
 * takes 80–140 ns a value here against 200–250 for the JSON copy it replaces, and it is right where
 * JSON is not (Maps and Sets, which JSON writes as {}; bigints, which it cannot). A repeated
 * reference is counted again (V8 writes a back-reference): over, the safe side. Past MEASURE_CAP,
 * or deeper than 64 levels, it stops and says MEASURE_CAP.
 */
export function sizeOf(value: unknown): number {
  let total = 0;
  const walk = (v: unknown, depth: number): void => {
    if (total > MEASURE_CAP) return;
    if (depth > 64) {
      total = MEASURE_CAP + 1;
      return;
    }
    if (typeof v === "string") total += 16 + 2 * v.length;
    else if (typeof v === "bigint") {
      total += 16 + Math.ceil((v < 0n ? -v : v).toString(16).length / 2);
    } else if (v === null || typeof v !== "object") total += 16;
    // KV stores a Uint8Array value as its bytes; inside a value, V8 writes a view's whole buffer.
    else if (ArrayBuffer.isView(v)) {
      total += 16 + (depth === 0 ? v.byteLength : v.buffer.byteLength);
    } else if (v instanceof ArrayBuffer) total += 16 + v.byteLength;
    else if (Array.isArray(v)) {
      total += 16;
      for (const x of v) {
        if (total > MEASURE_CAP) return;
        walk(x, depth + 1);
      }
    } else if (v instanceof Map || v instanceof Set) {
      total += 16;
      for (const x of v instanceof Map ? v.entries() : v.values()) {
        if (total > MEASURE_CAP) return;
        walk(x, depth + 1);
      }
    } else if (v instanceof Date) total += 16;
    else if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) {
      // An Error, a RegExp, a class instance: not what Parley stores, and not walked as if plain.
      total = MEASURE_CAP + 1;
    } else {
      total += 16;
      for (const k in v) {
        if (total > MEASURE_CAP) return;
        total += 16 + 2 * k.length;
        walk((v as Record<string, unknown>)[k], depth + 1);
      }
    }
  };
  walk(value, 0);
  return Math.min(total, MEASURE_CAP);
}

export class RecordedOp {
  #steps: Step[] = [];
  /** Checks recorded (KV allows 100 per atomic locally, 10 through KV Connect). */
  checks = 0;
  mutations = 0;
  /** An upper estimate of the payload in bytes (KV allows 800 KiB per atomic). */
  bytes = 0;

  check(...checks: Deno.AtomicCheck[]): this {
    this.checks += checks.length;
    this.bytes += 64 * checks.length;
    this.#steps.push((op) => op.check(...checks));
    return this;
  }

  mutate(...mutations: Deno.KvMutation[]): this {
    this.mutations += mutations.length;
    for (const m of mutations) this.bytes += 128 + ("value" in m ? sizeOf(m.value) : 0);
    this.#steps.push((op) => op.mutate(...mutations));
    return this;
  }

  sum(key: Deno.KvKey, n: bigint): this {
    return this.#add(64, (op) => op.sum(key, n));
  }

  min(key: Deno.KvKey, n: bigint): this {
    return this.#add(64, (op) => op.min(key, n));
  }

  max(key: Deno.KvKey, n: bigint): this {
    return this.#add(64, (op) => op.max(key, n));
  }

  set(key: Deno.KvKey, value: unknown, options?: { expireIn?: number }): this {
    return this.#add(128 + sizeOf(value), (op) => op.set(key, value, options));
  }

  delete(key: Deno.KvKey): this {
    return this.#add(128, (op) => op.delete(key));
  }

  enqueue(
    value: unknown,
    options?: { delay?: number; keysIfUndelivered?: Deno.KvKey[]; backoffSchedule?: number[] },
  ): this {
    return this.#add(256 + sizeOf(value), (op) => op.enqueue(value, options));
  }

  commit(): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
    throw new Error("a recorded operation is committed by replaying it into kv.atomic()");
  }

  /** Adds every recorded check and mutation to `op`, in order. */
  replay(op: Deno.AtomicOperation): Deno.AtomicOperation {
    for (const step of this.#steps) step(op);
    return op;
  }

  /** This record seen as the atomic operation the write-building code expects. */
  asAtomic(): Deno.AtomicOperation {
    return this as unknown as Deno.AtomicOperation;
  }

  #add(bytes: number, step: Step): this {
    this.mutations += 1;
    this.bytes += bytes;
    this.#steps.push(step);
    return this;
  }
}
