/** `deno task serve`: Parley alone, configured only by environment variables. */
import { BUNDLES } from "./routes/static.ts";
import { bundle } from "./services/assets/bundle.ts";
import { loadConfig } from "./services/core/config.ts";
import { ConfigError } from "./services/core/errors.ts";
import { log } from "./services/core/log.ts";
import { runMaintenance } from "./services/jobs/maintenance.ts";
import { type Parley, startParley } from "./server.ts";

let running: Parley | null = null;

// Hourly clean-up (orphan uploads, retention). Deno Deploy only picks up Deno.cron calls made at
// the top level of a module, before the server starts; the CLI runs it with "cron" in deno.json.
if (typeof Deno.cron === "function") {
  Deno.cron("parley-maintenance", "17 * * * *", async () => {
    if (running) await runMaintenance(running.deps.kv, running.deps.cfg);
  });
}

if (import.meta.main) {
  let cfg;
  try {
    cfg = loadConfig(Deno.env.toObject());
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`parley: bad setting ${e.message}`);
      Deno.exit(1);
    }
    throw e;
  }
  running = await startParley(cfg, {
    onListen: (url) => log.info(`Parley listening on ${url}`),
  });
  // Warm the browser bundles (built once per process, or read from a prebuilt static/build/).
  Promise.all(BUNDLES.map((b) => bundle(b))).catch((e) =>
    log.error(`browser bundles failed: ${e}`)
  );
}
