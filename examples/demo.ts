/**
 * `deno task start`: Parley on a local KV file plus the demo host site, wired through the
 * original's two callbacks. Every setting can still be overridden by environment variables.
 */
import { loadConfig } from "../services/core/config.ts";
import { randomToken } from "../services/core/crypto.ts";
import { ConfigError } from "../services/core/errors.ts";
import { BUNDLES } from "../routes/static.ts";
import { bundle } from "../services/assets/bundle.ts";
import { log } from "../services/core/log.ts";
import { type Parley, startParley } from "../server.ts";
import { hostSite } from "./host_site.ts";
import { DEMO_ADMIN_ID } from "./users.ts";

export interface Demo {
  parley: Parley;
  hostUrl: string;
  /** The secret token of the two callback URLs. */
  callbackToken: string;
  close(): Promise<void>;
}

/** Starts the host site and Parley; ports 0 pick free ports (tests). */
export async function startDemo(
  env: Record<string, string | undefined>,
  opts: { parleyPort: number; hostPort: number; hostname?: string },
): Promise<Demo> {
  const hostname = opts.hostname ?? "127.0.0.1";
  const secret = env.DEMO_SITE_SECRET ?? "demo-site-secret-change-me";
  // The token in both callback URLs, checked by the demo site's callbacks.
  const callbackToken = env.DEMO_CALLBACK_TOKEN ?? randomToken();
  let parleyUrl = "";
  const app: { fetch: (r: Request) => Response | Promise<Response> } = {
    fetch: () => new Response("starting", { status: 503 }),
  };
  const host = Deno.serve(
    { port: opts.hostPort, hostname, onListen() {} },
    (req) => app.fetch(req),
  );
  const hostUrl = `http://localhost:${host.addr.port}`;
  const cfg = loadConfig({
    PARLEY_USERS_INFO_URL:
      `http://127.0.0.1:${host.addr.port}/chat/users-info?token=${callbackToken}`,
    PARLEY_USERS_HASH_URL:
      `http://127.0.0.1:${host.addr.port}/chat/user-hash?token=${callbackToken}`,
    PARLEY_ADMIN_IDS: DEMO_ADMIN_ID,
    PARLEY_API_SECRET: "demo-api-secret-change-me",
    PARLEY_TRUSTED_IPS: "127.0.0.1,::1",
    ...env,
    PORT: String(opts.parleyPort),
  });
  const parley = await startParley(cfg, { hostname });
  parleyUrl = `http://localhost:${parley.server.addr.port}`;
  const site = hostSite({
    parleyUrl,
    selfUrl: hostUrl,
    secret,
    callbackToken,
    apiSecret: cfg.apiSecret,
  });
  app.fetch = (req) => site.fetch(req);
  return {
    parley,
    hostUrl,
    callbackToken,
    async close() {
      await host.shutdown();
      await parley.close();
    },
  };
}

if (import.meta.main) {
  const env = Deno.env.toObject();
  const kvPath = env.PARLEY_KV_PATH ?? ".parley/demo.sqlite";
  await Deno.mkdir(kvPath.split("/").slice(0, -1).join("/") || ".", { recursive: true });
  try {
    const demo = await startDemo({ ...env, PARLEY_KV_PATH: kvPath }, {
      parleyPort: Number(env.PORT ?? 8000),
      hostPort: Number(env.DEMO_PORT ?? 8001),
      hostname: "0.0.0.0",
    });
    // Build the browser bundles now, so the first page load does not wait for them.
    await Promise.all(BUNDLES.map((b) => bundle(b)));
    log.info(`Parley:    ${demo.parley.url.replace("0.0.0.0", "localhost")}`);
    log.info(
      `Demo site: ${demo.hostUrl}  ← open this, sign in as a user; open a second window as another`,
    );
    log.info(`Admin:     sign in as Виктор (id ${DEMO_ADMIN_ID}) and follow the Admin link`);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`parley: bad setting ${e.message}`);
      Deno.exit(1);
    }
    throw e;
  }
}
