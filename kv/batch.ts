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
