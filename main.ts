/** `deno task serve`: Parley alone, configured only by environment variables. */
import { loadConfig } from "./services/config.ts";
import { ConfigError } from "./services/errors.ts";
import { log } from "./services/log.ts";
import { startParley } from "./services/server.ts";

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
  await startParley(cfg, { onListen: (url) => log.info(`Parley listening on ${url}`) });
}
