/**
 * A V8 inspector session over its WebSocket (`deno run --inspect`, `deno task bench --inspect`),
 * for the bench's profiling tools (bench/cpu_profile.ts, bench/heap_snapshot.ts): waits for the
 * inspector to listen, sends commands and hands events to a listener.
 */
export interface Inspector {
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
  /** Calls `fn` with the params of every event named `method`. */
  on(method: string, fn: (params: Record<string, unknown>) => void): void;
  close(): void;
}

/** The first inspector target at `where` (HOST:PORT), waiting up to 2 minutes for it. */
async function socketUrl(where: string): Promise<string> {
  const end = Date.now() + 120_000;
  while (true) {
    try {
      const list = await (await fetch(`http://${where}/json/list`)).json();
      return list[0].webSocketDebuggerUrl;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function connectInspector(where: string): Promise<Inspector> {
  const ws = new WebSocket(await socketUrl(where));
  await new Promise((r) => ws.onopen = r);
  let nextId = 1;
  const waiting = new Map<number, (v: unknown) => void>();
  const listeners = new Map<string, (params: Record<string, unknown>) => void>();
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.id && waiting.has(msg.id)) {
      waiting.get(msg.id)!(msg.result);
      waiting.delete(msg.id);
    } else if (msg.method) listeners.get(msg.method)?.(msg.params);
  };
  return {
    call: (method, params = {}) =>
      new Promise<unknown>((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    on: (method, fn) => listeners.set(method, fn),
    close: () => ws.close(),
  };
}
