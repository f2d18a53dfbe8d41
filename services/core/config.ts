import { ConfigError } from "./errors.ts";
import type { FilterConfig } from "../content/filters.ts";
import { isUserId } from "./ids.ts";
import { parseCidrs, parseIp } from "../host/ips.ts";

/** At most `count` requests per `windowMs` per user. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

/** Per-user limits by feature; null switches one off. */
export interface RateLimits {
  messages: RateLimit | null;
  uploads: RateLimit | null;
  complaints: RateLimit | null;
  translations: RateLimit | null;
  /** Tickets for event streams and images (POST /api/v1/tickets). */
  tickets: RateLimit | null;
  /** "Typing…" notices. */
  typing: RateLimit | null;
  /** Read markers (POST /dialogs/:peer/read). */
  reads: RateLimit | null;
  /** Favourite and block changes (PUT/DELETE /favourites/:peer, /blocks/:peer). */
  relations: RateLimit | null;
  /** Failed sign-ins per user id. */
  signIn: RateLimit | null;
  /** Failed sign-ins per client address. */
  signInIp: RateLimit | null;
}

/** Everything Parley reads from the environment, parsed once at start. */
export interface Config {
  port: number;
  /** The address Parley listens on (0.0.0.0: every interface). */
  hostname: string;
  /** Local KV file; undefined means `Deno.openKv()` (Deno Deploy's KV, or Deno's default file). */
  kvPath?: string;
  adminIds: Set<string>;
  /** PARLEY_MODERATOR_IDS: complaints, deletes and bans, no browsing of private dialogs. */
  moderatorIds: Set<string>;
  trustedIps: string[];
  /** How many reverse proxies sit in front of Parley (0: use the connection's address). */
  trustProxy: number;
  /** The proxies' own addresses: X-Forwarded-For counts only on connections from these. */
  proxyIps: string[];
  apiSecret?: string;
  authSecret?: string;
  usersInfoUrl?: string;
  usersHashUrl?: string;
  /** Origins allowed to embed the widget and call the API from a browser; empty means any. */
  allowedOrigins: string[];
  translate: {
    provider?: "yandex" | "libretranslate";
    yandexApiKey?: string;
    yandexFolderId?: string;
    /** LibreTranslate's URL; with Yandex, an optional override of its base URL (proxy, tests). */
    url?: string;
    apiKey?: string;
    /** How long one call to the provider may take before the client gets 502. */
    timeoutMs: number;
  };
  rateLimits: RateLimits;
  webhookUrl?: string;
  webhookSecret?: string;
  retentionDays?: number;
  sessionTtlSeconds: number;
  /** How long after sending a user may edit or delete their own message (0: never). */
  editWindowSeconds: number;
  /** The host site's profile page of a user, `{id}` and `{login}` filled in (admin page). */
  userUrlTemplate?: string;
  /** How long host profiles from URL_getUsersInfo stay fresh in KV. */
  userCacheSeconds: number;
  /** How long a hash from URL_getUsersHash is trusted before asking the host again. */
  hashCacheSeconds: number;
  /** Per-request timeout for callbacks to the host site. */
  hostTimeoutMs: number;
  /** SSE heartbeat comment interval (keeps proxies from closing idle streams). */
  heartbeatMs: number;
  // Management API and webhooks (issue 7).
  /** First webhook retry delay; each further retry waits twice as long. */
  webhookRetryBaseMs: number;
  /** Delivery attempts per webhook event before it is logged as failed. */
  webhookMaxAttempts: number;
  /** `queue`: Deno KV queues; `poll`: KV outbox + in-process loop (backends without queues). */
  webhookDelivery: "queue" | "poll";
  /** Content filters applied to sent text (services/content/filters.ts). */
  filters: FilterConfig;
  /** How long after a user's last stream closes before contacts hear they went offline. */
  presenceGraceMs: number;
  /** Open event streams per user across all instances; a new one closes the oldest. */
  maxStreams: number;
}

type Env = Record<string, string | undefined>;

function url(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  if (!v) return undefined;
  try {
    const u = new URL(v);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    return u.toString();
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${v}"`);
  }
}

/** PARLEY_USER_URL_TEMPLATE: an http(s) URL once `{id}` / `{login}` are filled in. */
function userUrlTemplate(env: Env): string | undefined {
  const v = env.PARLEY_USER_URL_TEMPLATE?.trim();
  if (!v) return undefined;
  if (!v.includes("{id}") && !v.includes("{login}")) {
    throw new ConfigError("PARLEY_USER_URL_TEMPLATE", "must contain {id} or {login}");
  }
  try {
    url({ T: v.replaceAll("{id}", "1").replaceAll("{login}", "x") }, "T");
  } catch {
    throw new ConfigError("PARLEY_USER_URL_TEMPLATE", `must be an http(s) URL, got "${v}"`);
  }
  return v;
}

function int(env: Env, name: string, def: number | undefined, min: number, max: number) {
  const v = env[name]?.trim();
  if (!v) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${v}"`);
  }
  return n;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

function secret(env: Env, name: string): string | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  if (v.length < 16) throw new ConfigError(name, "must be at least 16 characters");
  return v;
}

const WINDOW_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `PARLEY_RATE_*`: "20/10s", "5/h", "30/1m", or "off"; unset means the default. */
function rateLimit(env: Env, name: string, def: RateLimit): RateLimit | null {
  const v = env[name]?.trim();
  if (!v) return def;
  if (v === "off") return null;
  const m = /^(\d{1,7})\s*\/\s*(\d{1,6})?\s*([smhd])$/.exec(v);
  const count = m ? Number(m[1]) : 0;
  const windowMs = m ? Number(m[2] ?? "1") * WINDOW_UNITS[m[3]] : 0;
  if (!m || count < 1 || windowMs < 1000 || windowMs > 7 * 86_400_000) {
    throw new ConfigError(
      name,
      `must be a count per window like "20/10s", "30/1m", "5/h" (1 s to 7 d) or "off", got "${v}"`,
    );
  }
  return { count, windowMs };
}

/** KV Connect backends (a URL in PARLEY_KV_PATH) have no queues, so they default to polling. */
function webhookDelivery(env: Env): "queue" | "poll" {
  const v = env.PARLEY_WEBHOOK_DELIVERY?.trim();
  if (v === "queue" || v === "poll") return v;
  if (v) throw new ConfigError("PARLEY_WEBHOOK_DELIVERY", `must be queue or poll, got "${v}"`);
  return /^https?:\/\//.test(env.PARLEY_KV_PATH?.trim() ?? "") ? "poll" : "queue";
}

/** An on/off switch: 1/true/yes/on or 0/false/no/off (unset is off). */
function flag(env: Env, name: string): boolean {
  const v = env[name]?.trim().toLowerCase();
  if (!v) return false;
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(name, `must be 1 or 0 (true/false), got "${env[name]}"`);
}

/** Content filter settings: PARLEY_FILTER_WORDS, PARLEY_MASK_*, PARLEY_LINK_ALLOW_HOSTS. */
function filterConfig(env: Env): FilterConfig {
  const words = list(env, "PARLEY_FILTER_WORDS").map((w) => w.toLowerCase());
  for (const w of words) {
    if (w.length > 100 || w === "*" || /[\p{C}]/u.test(w)) {
      throw new ConfigError("PARLEY_FILTER_WORDS", `"${w}" is not a usable word`);
    }
  }
  const linkAllowHosts = list(env, "PARLEY_LINK_ALLOW_HOSTS").map((raw) => {
    const h = raw.toLowerCase().replace(/^\*\./, "");
    try {
      if (!/^[^/:@\s?#]+$/.test(h)) throw new Error();
      // URL gives the punycode form, which is what linkHost() compares against.
      return new URL(`http://${h}`).hostname;
    } catch {
      throw new ConfigError("PARLEY_LINK_ALLOW_HOSTS", `"${raw}" is not a host like example.com`);
    }
  });
  return {
    words,
    maskPhones: flag(env, "PARLEY_MASK_PHONES"),
    maskEmails: flag(env, "PARLEY_MASK_EMAILS"),
    maskLinks: flag(env, "PARLEY_MASK_LINKS"),
    linkAllowHosts,
  };
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** PARLEY_HOSTNAME: an IPv4 or IPv6 address (no brackets, no port) or a host name. */
function hostname(env: Env): string {
  const v = env.PARLEY_HOSTNAME?.trim();
  if (!v) return "0.0.0.0";
  const ipv6 = v.includes(":") && !/[[\]%]/.test(v) && !/^[0-9.]+:/.test(v) && parseIp(v);
  if (ipv6 || (!v.includes(":") && HOST_NAME.test(v))) return v;
  throw new ConfigError("PARLEY_HOSTNAME", `must be an IP address or a host name, got "${v}"`);
}

/** A comma-separated list of user ids (PARLEY_ADMIN_IDS, PARLEY_MODERATOR_IDS). */
function userIds(env: Env, name: string): string[] {
  const ids = list(env, name);
  for (const id of ids) {
    if (!isUserId(id)) {
      throw new ConfigError(
        name,
        `"${id}" is not a user id (1-64 of A-Z a-z 0-9 _ -, numbers without leading zeros)`,
      );
    }
  }
  return ids;
}

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env): Config {
  const adminIds = userIds(env, "PARLEY_ADMIN_IDS");
  const moderatorIds = userIds(env, "PARLEY_MODERATOR_IDS");
  const provider = env.PARLEY_TRANSLATE_PROVIDER?.trim() || undefined;
  if (provider && provider !== "yandex" && provider !== "libretranslate") {
    throw new ConfigError("PARLEY_TRANSLATE_PROVIDER", `must be yandex or libretranslate`);
  }
  const cfg: Config = {
    port: int(env, "PORT", 8000, 0, 65535)!,
    hostname: hostname(env),
    kvPath: env.PARLEY_KV_PATH?.trim() || undefined,
    adminIds: new Set(adminIds),
    // An id in both lists is an admin: the wider rights win.
    moderatorIds: new Set(moderatorIds.filter((id) => !adminIds.includes(id))),
    trustedIps: list(env, "PARLEY_TRUSTED_IPS"),
    trustProxy: int(env, "PARLEY_TRUST_PROXY", 0, 0, 10)!,
    proxyIps: env.PARLEY_PROXY_IPS?.trim() ? list(env, "PARLEY_PROXY_IPS") : ["127.0.0.1", "::1"],
    apiSecret: secret(env, "PARLEY_API_SECRET"),
    authSecret: secret(env, "PARLEY_AUTH_SECRET"),
    usersInfoUrl: url(env, "PARLEY_USERS_INFO_URL"),
    usersHashUrl: url(env, "PARLEY_USERS_HASH_URL"),
    allowedOrigins: list(env, "PARLEY_ALLOWED_ORIGINS"),
    translate: {
      provider: provider as Config["translate"]["provider"],
      yandexApiKey: env.PARLEY_YANDEX_API_KEY || undefined,
      yandexFolderId: env.PARLEY_YANDEX_FOLDER_ID || undefined,
      url: url(env, "PARLEY_TRANSLATE_URL"),
      apiKey: env.PARLEY_TRANSLATE_API_KEY || undefined,
      timeoutMs: int(env, "PARLEY_TRANSLATE_TIMEOUT_MS", 8000, 100, 60000)!,
    },
    rateLimits: {
      messages: rateLimit(env, "PARLEY_RATE_MESSAGES", { count: 20, windowMs: 10_000 }),
      uploads: rateLimit(env, "PARLEY_RATE_UPLOADS", { count: 10, windowMs: 60_000 }),
      complaints: rateLimit(env, "PARLEY_RATE_COMPLAINTS", { count: 5, windowMs: 3_600_000 }),
      translations: rateLimit(env, "PARLEY_RATE_TRANSLATIONS", { count: 30, windowMs: 60_000 }),
      tickets: rateLimit(env, "PARLEY_RATE_TICKETS", { count: 60, windowMs: 60_000 }),
      typing: rateLimit(env, "PARLEY_RATE_TYPING", { count: 60, windowMs: 60_000 }),
      reads: rateLimit(env, "PARLEY_RATE_READS", { count: 120, windowMs: 60_000 }),
      relations: rateLimit(env, "PARLEY_RATE_RELATIONS", { count: 30, windowMs: 60_000 }),
      signIn: rateLimit(env, "PARLEY_RATE_SIGNIN", { count: 10, windowMs: 60_000 }),
      signInIp: rateLimit(env, "PARLEY_RATE_SIGNIN_IP", { count: 30, windowMs: 60_000 }),
    },
    webhookUrl: url(env, "PARLEY_WEBHOOK_URL"),
    webhookSecret: secret(env, "PARLEY_WEBHOOK_SECRET"),
    retentionDays: int(env, "PARLEY_RETENTION_DAYS", undefined, 1, 36500),
    sessionTtlSeconds: int(env, "PARLEY_SESSION_TTL", 12 * 3600, 60, 30 * 86400)!,
    editWindowSeconds: int(env, "PARLEY_EDIT_WINDOW_SECONDS", 48 * 3600, 0, 365 * 86400)!,
    userUrlTemplate: userUrlTemplate(env),
    userCacheSeconds: int(env, "PARLEY_USER_CACHE_TTL", 300, 0, 86400)!,
    hashCacheSeconds: int(env, "PARLEY_HASH_CACHE_TTL", 60, 0, 3600)!,
    hostTimeoutMs: int(env, "PARLEY_HOST_TIMEOUT_MS", 5000, 100, 60000)!,
    // At most 30 s: proxies commonly close a stream idle for 60 s.
    heartbeatMs: int(env, "PARLEY_SSE_HEARTBEAT_MS", 20_000, 10, 30_000)!,
    webhookRetryBaseMs: int(env, "PARLEY_WEBHOOK_RETRY_BASE_MS", 10_000, 10, 3_600_000)!,
    webhookMaxAttempts: int(env, "PARLEY_WEBHOOK_MAX_ATTEMPTS", 8, 1, 20)!,
    webhookDelivery: webhookDelivery(env),
    filters: filterConfig(env),
    presenceGraceMs: int(env, "PARLEY_PRESENCE_GRACE_MS", 3000, 0, 60000)!,
    maxStreams: int(env, "PARLEY_MAX_STREAMS", 8, 1, 100)!,
  };
  for (
    const [name, entries] of [
      ["PARLEY_TRUSTED_IPS", cfg.trustedIps],
      ["PARLEY_PROXY_IPS", cfg.proxyIps],
    ] as const
  ) {
    try {
      parseCidrs(entries);
    } catch (e) {
      throw new ConfigError(name, (e as Error).message);
    }
  }
  for (const o of cfg.allowedOrigins) {
    if (o !== "*" && !/^https?:\/\/[^/]+$/.test(o)) {
      throw new ConfigError(
        "PARLEY_ALLOWED_ORIGINS",
        `"${o}" is not an origin like https://example.com`,
      );
    }
  }
  if (!cfg.authSecret && !cfg.usersHashUrl && !cfg.apiSecret) {
    throw new ConfigError(
      "PARLEY_AUTH_SECRET",
      "set it (signed mode) or PARLEY_USERS_HASH_URL (callback mode) so Parley can verify users",
    );
  }
  if (cfg.usersHashUrl && !cfg.usersInfoUrl) {
    throw new ConfigError(
      "PARLEY_USERS_INFO_URL",
      "required with PARLEY_USERS_HASH_URL: a user signs in only when the users-info answer " +
        "confirms their exact id, as in the original",
    );
  }
  if (cfg.translate.provider === "yandex") {
    if (!cfg.translate.yandexApiKey) {
      throw new ConfigError(
        "PARLEY_YANDEX_API_KEY",
        "required when PARLEY_TRANSLATE_PROVIDER=yandex",
      );
    }
  }
  if (cfg.translate.provider === "libretranslate" && !cfg.translate.url) {
    throw new ConfigError(
      "PARLEY_TRANSLATE_URL",
      "required when PARLEY_TRANSLATE_PROVIDER=libretranslate",
    );
  }
  if (cfg.webhookUrl && !cfg.webhookSecret && !cfg.apiSecret) {
    throw new ConfigError(
      "PARLEY_WEBHOOK_SECRET",
      "required to sign webhooks (or set PARLEY_API_SECRET)",
    );
  }
  return cfg;
}
