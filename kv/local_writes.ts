/**
 * Which owners (users, as group commit names them: kv/group_commit.ts) this process wrote lately,
 * so that a read made ahead of a write can tell, when the write is built, whether anything of
 * this process touched those owners since. A send reads what it builds on while its request is
 * still being checked (kv/messaging/messages.ts, readForSend); group commit then builds it
 * without a read of its own, unless a write of the same users committed in between here. A write
 * of another isolate is not seen here: the write's checks catch it, and it reads again.
 *
 * A mark is a count of commits; an owner remembers the count at its last commit. Memory stays
 * bounded: past MAX_OWNERS the table is cleared and the floor moves up to the current count, so
 * every mark taken before then counts as stale (one extra read each, never a wrong answer).
 */

const MAX_OWNERS = 100_000;

interface Table {
  count: number;
  floor: number;
  last: Map<string, number>;
}

const tables = new WeakMap<Deno.Kv, Table>();

function table(kv: Deno.Kv): Table {
  let t = tables.get(kv);
  if (!t) tables.set(kv, t = { count: 0, floor: 0, last: new Map() });
  return t;
}

/** A write naming `owners` committed on `kv` in this process. */
export function noteWritten(kv: Deno.Kv, owners: Iterable<string>): void {
  const t = table(kv);
  t.count++;
  if (t.last.size >= MAX_OWNERS) {
    t.last.clear();
    t.floor = t.count;
  }
  for (const o of owners) t.last.set(o, t.count);
}

/** Where `kv`'s local commits stand now: take it before issuing a read. */
export function writeMark(kv: Deno.Kv): number {
  return table(kv).count;
}

/** Whether a write of this process naming any of `owners` committed after `mark` was taken. */
export function writtenSince(kv: Deno.Kv, owners: Iterable<string>, mark: number): boolean {
  const t = table(kv);
  if (t.floor > mark) return true;
  for (const o of owners) if ((t.last.get(o) ?? 0) > mark) return true;
  return false;
}
