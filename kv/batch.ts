import { ApiError } from "../services/core/errors.ts";

/** Deno KV's getMany takes at most 10 keys; this reads any number in parallel batches of 10. */
export async function getManyChunked<T>(
  kv: Deno.Kv,
  keyList: Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const batches: Promise<Deno.KvEntryMaybe<T>[]>[] = [];
  for (let i = 0; i < keyList.length; i += 10) {
    batches.push(kv.getMany<T[]>(keyList.slice(i, i + 10)) as Promise<Deno.KvEntryMaybe<T>[]>);
  }
  return (await Promise.all(batches)).flat();
}

interface Waiting {
  keys: Deno.KvKey[];
  resolve(entries: Deno.KvEntryMaybe<unknown>[]): void;
  reject(e: unknown): void;
}

/**
 * `kv` whose `get` and `getMany` calls made in one turn go out together, as getManys of up to
 * ten keys (one snapshot each), once the turn's synchronous code is done. Code that reads a few
 * keys of its own (a send's client id, ban and blocks, both profiles) runs unchanged, and what
 * were three or four KV calls in a row become one: each call costs the KV thread and this one far
 * more than a key in it does. Everything else (writes, list, watch) goes to `kv` as it is.
 */
export function coalescedReads(kv: Deno.Kv): Deno.Kv {
  let waiting: Waiting[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    // Whole calls per getMany (at most 10 keys): each caller's keys come from one snapshot.
    let chunk: Waiting[] = [];
    let size = 0;
    for (const w of batch) {
      if (size + w.keys.length > 10) {
        send(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(w);
      size += w.keys.length;
    }
    send(chunk);
  };
  const send = (chunk: Waiting[]) => {
    kv.getMany(chunk.flatMap((w) => w.keys)).then((entries) => {
      let at = 0;
      for (const w of chunk) {
        w.resolve(entries.slice(at, at + w.keys.length));
        at += w.keys.length;
      }
    }, (e) => {
      // One call's bad key (or size) must not fail the others: each asks again on its own. A
      // store that stayed busy (kv/open.ts, 503) is told to all at once, not waited out again.
      if (chunk.length === 1 || e instanceof ApiError) return chunk.forEach((w) => w.reject(e));
      for (const w of chunk) kv.getMany(w.keys).then(w.resolve, w.reject);
    });
  };
  const read = (keys: Deno.KvKey[]) =>
    new Promise<Deno.KvEntryMaybe<unknown>[]>((resolve, reject) => {
      if (!waiting.length) queueMicrotask(flush);
      waiting.push({ keys, resolve, reject });
    });
  // A call with options (a consistency level) or over Deno's 10 keys goes out as it is.
  const getMany = (keys: readonly Deno.KvKey[], options?: unknown) =>
    options !== undefined || keys.length > 10
      ? kv.getMany(keys, options as { consistency?: Deno.KvConsistencyLevel })
      : read([...keys]);
  const get = (key: Deno.KvKey, options?: unknown) =>
    options !== undefined
      ? kv.get(key, options as { consistency?: Deno.KvConsistencyLevel })
      : read([key]).then((e) => e[0]);
  return new Proxy(kv, {
    get(target, prop) {
      if (prop === "get") return get;
      if (prop === "getMany") return getMany;
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
