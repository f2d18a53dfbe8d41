/** The caller's address as Parley sees it, for the manage API's guard and sign-in limits. */
import type { Context } from "hono";
import type { Config } from "../services/core/config.ts";
import { clientIp, type Ip, parseCidrs } from "../services/host/ips.ts";

/** The connection's address: server.ts passes Deno.serve's `info` as the Hono env. */
export function remoteAddress(c: Context): string | undefined {
  const env = c.env as { info?: { remoteAddr?: { hostname?: string } } } | undefined;
  return env?.info?.remoteAddr?.hostname;
}

const parsed = new WeakMap<Config, ReturnType<typeof parseCidrs>>();

/** The client's address: X-Forwarded-For counts only from PARLEY_PROXY_IPS (services/host/ips.ts). */
export function requestIp(c: Context, cfg: Config): Ip | null {
  let proxies = parsed.get(cfg);
  if (!proxies) parsed.set(cfg, proxies = parseCidrs(cfg.proxyIps));
  return clientIp(remoteAddress(c), c.req.header("x-forwarded-for"), cfg.trustProxy, proxies);
}
