/**
 * Deno's floor for the bench (`--only deno-floor`): a bare `Deno.serve` with one SSE stream per
 * user channel and an in-memory publish that writes to both users' streams, with ids for replay
 * by Last-Event-ID from a short in-memory buffer. No storage, no framework: what any Deno SSE
 * server costs at least per connection and per message. Writes its port to $BENCH_READY_FILE.
 */
const enc = new TextEncoder();
const streams = new Map<string, Set<ReadableStreamDefaultController<Uint8Array>>>();
const logs = new Map<string, string[]>();
const KEEP = 1000;

function publish(channel: string, data: string) {
  const log = logs.get(channel) ?? [];
  logs.set(channel, log);
  log.push(data);
  if (log.length > KEEP) log.shift();
  const seq = log.length;
  const frame = enc.encode(`id: ${seq}\ndata: ${data}\n\n`);
  for (const c of streams.get(channel) ?? []) c.enqueue(frame);
}

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
  const url = new URL(req.url);
  const pub = /^\/pub\/(\w+)\/(\w+)$/.exec(url.pathname);
  if (pub && req.method === "POST") {
    const body = await req.text();
    publish(pub[1], body);
    publish(pub[2], body);
    return new Response(null, { status: 201 });
  }
  const sub = /^\/sub\/(\w+)$/.exec(url.pathname);
  if (!sub) return new Response("not found", { status: 404 });
  const channel = sub[1];
  // No Last-Event-ID: a stream that saw nothing yet, so it gets everything (as nchan's "oldest").
  // Streams open before the first send; one that reconnects before its first message still
  // gets what was published while it was away.
  const after = Number(req.headers.get("last-event-id") ?? 0);
  let me: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      me = c;
      c.enqueue(enc.encode(": hi\n\n"));
      const log = logs.get(channel) ?? [];
      if (Number.isFinite(after)) {
        for (let i = after; i < log.length; i++) {
          c.enqueue(enc.encode(`id: ${i + 1}\ndata: ${log[i]}\n\n`));
        }
      }
      const set = streams.get(channel) ?? new Set();
      streams.set(channel, set.add(c));
    },
    cancel() {
      streams.get(channel)?.delete(me);
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
});
Deno.writeTextFileSync(Deno.env.get("BENCH_READY_FILE")!, String(server.addr.port));
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
