/**
 * An atomic operation written down instead of sent: what a write would check and change, kept so
 * that several writes can be replayed into one `kv.atomic()` (group commit, kv/group_commit.ts)
 * or, when that batch fails, each into its own. Code that builds a write takes a
 * `Deno.AtomicOperation` and never knows which it got.
 */

type Step = (op: Deno.AtomicOperation) => void;

/** Characters of JSON above which a value is not measured exactly (it is surely large). */
const MEASURE_CAP = 70_000;

function sizeOf(value: unknown): number {
  if (value === null || typeof value !== "object" && typeof value !== "string") return 16;
  if (value instanceof Uint8Array) return value.byteLength;
  try {
    // V8 serialises a string in one or two bytes per character: count two.
    return 2 * Math.min(JSON.stringify(value)?.length ?? 16, MEASURE_CAP);
  } catch {
    return 2 * MEASURE_CAP;
  }
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
