/**
 * Makes the local KV as strict as the strictest backend Parley supports. SQLite KV allows 100
 * checks per atomic; a self-hosted denokv server (KV Connect) allows 10. Every test imports this
 * through helpers.ts, so any atomic anywhere in the code that checks more than 10 keys fails its
 * test with the same error the server would give. (getMany's 10 keys, 1,000 mutations and
 * 800 KiB per atomic are enforced by SQLite KV itself.)
 */
export const MAX_CHECKS = 10;

const counts = new WeakMap<Deno.AtomicOperation, number>();
const proto = Deno.AtomicOperation.prototype;
const check = proto.check;
if (!(check as { strict?: true }).strict) {
  const strict = function (this: Deno.AtomicOperation, ...checks: Deno.AtomicCheck[]) {
    const n = (counts.get(this) ?? 0) + checks.length;
    counts.set(this, n);
    if (n > MAX_CHECKS) throw new TypeError(`Too many checks (max ${MAX_CHECKS})`);
    return check.apply(this, checks);
  };
  (strict as { strict?: true }).strict = true;
  proto.check = strict;
}
