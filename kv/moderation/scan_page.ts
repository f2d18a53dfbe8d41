/**
 * One page of a filtered listing that never scans without bound: it reads at most `budget`
 * index entries, loads what they point to in small batches, keeps what passes the filter, and
 * answers a `next_cursor` either after a full page or where the budget ran out, so the caller
 * pages on (a page may then hold fewer items, even none, and still have a next one). `scanned`
 * says how many entries it read, so a page can say how far a search has got.
 */
import { ulidFloor } from "../../services/core/ids.ts";

/**
 * The selector of a newest-first listing under `prefix` keyed by ULID: made at or after `from`,
 * before `to` (ms), and before `cursor` (the last id of the previous page). Null when empty.
 */
export function idRange(
  prefix: Deno.KvKey,
  q: { from?: number; to?: number; cursor?: string },
): Deno.KvListSelector | null {
  const low = q.from !== undefined ? ulidFloor(q.from) : undefined;
  const toBound = q.to !== undefined ? ulidFloor(q.to) : undefined;
  const high = q.cursor && (!toBound || q.cursor < toBound) ? q.cursor : toBound;
  if (low && high && high <= low) return null;
  return low && high
    ? { start: [...prefix, low], end: [...prefix, high] }
    : low
    ? { prefix, start: [...prefix, low] }
    : high
    ? { prefix, end: [...prefix, high] }
    : { prefix };
}

/** The id an entry's key ends in (every listing here is keyed by ULID last). */
export function lastPart(key: Deno.KvKey): string {
  return String(key.at(-1));
}

export interface ScanOptions<T> {
  limit: number;
  /** Created with `{limit: budget}`: the scan's bound. */
  budget: number;
  /** What a batch of entries points to (null: gone meanwhile), in their order. */
  load: (entries: Deno.KvEntry<unknown>[]) => Promise<(T | null)[]>;
  keep: (item: T) => boolean;
  /** Entries loaded together (getMany calls chunk by 10 underneath). */
  batch?: number;
}

export async function scanPage<T>(
  iter: Deno.KvListIterator<unknown>,
  opts: ScanOptions<T>,
): Promise<{ items: T[]; next_cursor: string | null; scanned: number }> {
  const items: T[] = [];
  const size = opts.batch ?? 50;
  let scanned = 0;
  let lastId: string | null = null;
  let buffer: Deno.KvEntry<unknown>[] = [];
  // Returns true once the page is full and one more entry proved there is a next page.
  const flush = async (): Promise<boolean> => {
    const loaded = await opts.load(buffer);
    for (let i = 0; i < buffer.length; i++) {
      const item = loaded[i];
      if (item === null || !opts.keep(item)) {
        lastId = lastPart(buffer[i].key);
        continue;
      }
      if (items.length === opts.limit) return true;
      items.push(item);
      lastId = lastPart(buffer[i].key);
    }
    buffer = [];
    return false;
  };
  for await (const e of iter) {
    scanned++;
    buffer.push(e);
    if (buffer.length === size && await flush()) return { items, next_cursor: lastId, scanned };
  }
  if (buffer.length && await flush()) return { items, next_cursor: lastId, scanned };
  return { items, next_cursor: scanned >= opts.budget ? lastId : null, scanned };
}
