/**
 * A real HTTP endpoint standing in for a site's webhook handler. It checks each request's
 * signature the way the docs tell site owners to (its own HMAC code, not Parley's), and can be
 * told to fail the first N requests or all of them.
 */

export interface Received {
  at: number;
  headers: Headers;
  body: string;
  event: { type: string; id: string; created_at: string; data: Record<string, unknown> };
  /** The signature matched HMAC-SHA256(secret, t + "." + body) and t is within 5 minutes. */
  valid: boolean;
}

const enc = new TextEncoder();

/** Verifies `X-Parley-Signature: t=<unix>,v1=<hex>` against the raw body (as a site would). */
export async function verifySignature(
  secret: string,
  header: string | null,
  body: string,
): Promise<boolean> {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=", 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300 || !parts.v1) return false;
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(`${t}.${body}`)));
  const hex = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
  return hex === parts.v1;
}

export function startReceiver(
  secret: string,
  opts: { failFirst?: number; status?: number; holdFirst?: boolean } = {},
) {
  const received: Received[] = [];
  let failLeft = opts.failFirst ?? 0;
  // holdFirst: the first request gets no answer until the receiver closes (a hung site).
  let release = () => {};
  const held = new Promise<void>((r) => release = r);
  const waiters: (() => void)[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const body = await req.text();
    const valid = await verifySignature(secret, req.headers.get("x-parley-signature"), body);
    received.push({ at: Date.now(), headers: req.headers, body, event: JSON.parse(body), valid });
    for (const w of waiters.splice(0)) w();
    if (opts.holdFirst && received.length === 1) await held;
    if (opts.status) return new Response("down", { status: opts.status });
    if (failLeft > 0) {
      failLeft--;
      return new Response("try later", { status: 500 });
    }
    return new Response("ok");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hooks/parley`,
    received,
    /** Waits until `n` requests arrived. */
    async waitFor(n: number, timeoutMs = 5000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`receiver got ${received.length} of ${n} requests`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
      return received.slice(0, n);
    },
    close: () => {
      release();
      return server.shutdown();
    },
  };
}
