import { migrateLayout } from "./kv/layout.ts";
import { sweepOrphanUploads } from "./kv/media/attachments.ts";
import { finishPresence } from "./kv/people/presence.ts";
import { closeKv, openKv } from "./kv/open.ts";
import { finishAdminFeed } from "./kv/moderation/admin_feed.ts";
import { createApp } from "./routes/app.ts";
import { EventBus } from "./services/realtime/bus.ts";
import type { Config } from "./services/core/config.ts";
import type { Deps } from "./services/core/context.ts";
import { log } from "./services/core/log.ts";

import { startWebhookWorker } from "./services/webhooks/worker.ts";

/** How often this instance removes uploads whose message never came. */
const UPLOAD_SWEEP_MS = 10 * 60_000;

/** A running Parley: its deps, the HTTP server, and one call to stop all of it cleanly. */
export interface Parley {
  deps: Deps;
  server: Deno.HttpServer<Deno.NetAddr>;
  url: string;
  close(): Promise<void>;
}

/** Opens KV (the given handle, the configured file, or Deno's default) and serves the app. */
export async function startParley(
  cfg: Config,
  opts: {
    kv?: Deno.Kv;
    hostname?: string;
    onListen?: (url: string) => void;
  } = {},
): Promise<Parley> {
  const kv = opts.kv ?? await openKv(cfg.kvPath);
  // A store from before the current key layout is moved before anything reads it.
  await migrateLayout(kv);
  const bus = new EventBus(kv);
  const deps: Deps = { kv, cfg, bus };
  const app = createApp(deps);
  // Background work: webhook delivery (one queue listener per KV handle). Retention runs from
  // the cron that main.ts registers (Deno Deploy picks up only top-level Deno.cron calls).
  const webhooks = cfg.webhookUrl ? startWebhookWorker(kv, cfg) : null;
  const hostname = opts.hostname ?? cfg.hostname;
  const server = Deno.serve(
    { port: cfg.port, hostname, onListen: () => {} },
    (req, info) => app.fetch(req, { info }),
  );
  const sweeper = setInterval(() => {
    sweepOrphanUploads(kv).catch((e) => log.warn("upload sweep failed", { reason: String(e) }));
  }, UPLOAD_SWEEP_MS);
  Deno.unrefTimer(sweeper);
  const shown = hostname === "0.0.0.0" || hostname === "::"
    ? "localhost"
    : hostname.includes(":")
    ? `[${hostname}]`
    : hostname;
  const url = `http://${shown}:${server.addr.port}`;
  opts.onListen?.(url);
  return {
    deps,
    server,
    url,
    async close() {
      clearInterval(sweeper);
      await webhooks?.stop();
      bus.close();
      await server.shutdown();
      await finishPresence(kv);
      await finishAdminFeed(kv);
      await closeKv(kv);
      await webhooks?.done;
    },
  };
}
