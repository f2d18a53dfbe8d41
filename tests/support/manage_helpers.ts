/** Helpers for the management API tests: a server that trusts the test client, and a caller. */
import { api, API_SECRET, type ApiResult, startServer, type TestServer } from "./helpers.ts";

/** A Parley whose management API admits the local test client (IPv4 and IPv6 loopback). */
export function startManaged(env: Record<string, string> = {}): Promise<TestServer> {
  return startServer({ PARLEY_TRUSTED_IPS: "127.0.0.1/32, ::1", ...env });
}

/** One management call with the right secret (override `headers.authorization` to test it). */
export function manage<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  opts: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  return api<T>(base, method, `/api/v1/manage${path}`, {
    ...opts,
    headers: { authorization: `Bearer ${API_SECRET}`, ...opts.headers },
  });
}

/** Every key and value in the server's KV, for tests that must see all of it. */
export async function dumpKv(kv: Deno.Kv): Promise<Deno.KvEntry<unknown>[]> {
  const out: Deno.KvEntry<unknown>[] = [];
  for await (const e of kv.list({ prefix: [] })) out.push(e);
  return out;
}

/** JSON of any KV value, KvU64 counters included (BigInt has no JSON form). */
export function kvJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
}
