/**
 * Makes the local KV as strict as the strictest backend Parley supports. SQLite KV allows 100
 * checks per atomic; a self-hosted denokv server (KV Connect) allows 10. Every test imports this
 * through helpers.ts, so any write anywhere in the code that checks more than 10 keys fails its
 * test with the same error the server would give. Group commit (kv/group_commit.ts) puts several
 * writes in one atomic only where the KV allows it (100 checks locally): there each write, as
 * recorded, is held to 10 and the batch to the local 100. (getMany's 10 keys, 1,000 mutations and
 * 800 KiB per atomic are enforced by SQLite KV itself.)
 */
import { isGroupAtomic } from "../../kv/group_commit.ts";
import { RecordedOp } from "../../kv/recorded_op.ts";

export const MAX_CHECKS = 10;
/** What a local SQLite KV allows, and so a group commit's batch there. */
const LOCAL_MAX_CHECKS = 100;

function strictCheck<T extends object>(proto: { check: (...c: Deno.AtomicCheck[]) => unknown }) {
  const check = proto.check;
  if ((check as { strict?: true }).strict) return;
  const counts = new WeakMap<object, number>();
  const strict = function (this: T, ...checks: Deno.AtomicCheck[]) {
    const n = (counts.get(this) ?? 0) + checks.length;
    counts.set(this, n);
    const max = this instanceof Deno.AtomicOperation && isGroupAtomic(this)
      ? LOCAL_MAX_CHECKS
      : MAX_CHECKS;
    if (n > max) throw new TypeError(`Too many checks (max ${max})`);
    return check.apply(this, checks);
  };
  (strict as { strict?: true }).strict = true;
  proto.check = strict;
}

strictCheck(Deno.AtomicOperation.prototype);
strictCheck(RecordedOp.prototype);
