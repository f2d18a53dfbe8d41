import type { MiddlewareHandler } from "hono";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { timingSafeEqual } from "../../services/core/crypto.ts";
import { ApiError, badRequest } from "../../services/core/errors.ts";
import { normaliseUserId, SYSTEM_USER } from "../../services/core/ids.ts";
import { formatIp, isTrusted, parseCidrs } from "../../services/host/ips.ts";
import { log } from "../../services/core/log.ts";
import { remoteAddress, requestIp } from "../client_ip.ts";

/**
 * Admits a management call only from PARLEY_TRUSTED_IPS (X-Forwarded-For counts only behind
 * PARLEY_TRUST_PROXY proxies, on connections from PARLEY_PROXY_IPS) AND with `Authorization: Bearer PARLEY_API_SECRET`, compared in
 * constant time. Without both settings the management API is off (403 manage_disabled).
 * The address is checked first, so an untrusted caller learns nothing about the secret.
 */
export function requireManager(deps: Deps): MiddlewareHandler<AppEnv> {
  const { cfg } = deps;
  const ranges = parseCidrs(cfg.trustedIps);
  const secret = cfg.apiSecret;
  return async (c, next) => {
    if (!secret || ranges.length === 0) {
      throw new ApiError(
        403,
        "manage_disabled",
        "the management API is off: set PARLEY_API_SECRET and PARLEY_TRUSTED_IPS",
      );
    }
    const remote = remoteAddress(c);
    const ip = requestIp(c, cfg);
    if (!isTrusted(ip, ranges)) {
      const shown = ip ? formatIp(ip) : "this address";
      log.warn("management API call from an untrusted address", { ip: shown, remote });
      throw new ApiError(403, "ip_not_trusted", `${shown} is not in PARLEY_TRUSTED_IPS`);
    }
    const header = c.req.header("authorization") ?? "";
    const given = /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, "").trim() : "";
    if (!given || !await timingSafeEqual(given, secret)) {
      throw new ApiError(
        401,
        "unauthorized",
        "send Authorization: Bearer <PARLEY_API_SECRET>",
        undefined,
        { "www-authenticate": 'Bearer realm="parley-manage"' },
      );
    }
    await next();
  };
}

/** The `:id` of a manage route; `system` only where `allowSystem` (its profile may be set). */
export function userParam(raw: string, allowSystem = false): string {
  const id = normaliseUserId(raw, "id");
  if (id === SYSTEM_USER && !allowSystem) {
    throw badRequest("reserved_user_id", `"${SYSTEM_USER}" is the reserved system sender`, "id");
  }
  return id;
}
