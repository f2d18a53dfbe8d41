import { ConfigError } from "./errors.ts";
import type { FilterConfig } from "./filters.ts";
import { isUserId } from "./ids.ts";

/** Everything Parley reads from the environment, parsed once at start. */
export interface Config {
  port: number;
  /** Local KV file; undefined means `Deno.openKv()` (Deno Deploy's KV, or Deno's default file). */
  kvPath?: string;
  adminIds: Set<string>;
  trustedIps: string[];
  /** How many reverse proxies sit in front of Parley (0: use the connection's address). */
  trustProxy: number;
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
    url?: string;
    apiKey?: string;
  };
  webhookUrl?: string;
  webhookSecret?: string;
  retentionDays?: number;
  sessionTtlSeconds: number;
  /** How long host profiles from URL_getUsersInfo stay fresh in KV. */
  userCacheSeconds: number;
  /** How long a hash from URL_getUsersHash is trusted before asking the host again. */
  hashCacheSeconds: number;
  /** Per-request timeout for callbacks to the host site. */
  hostTimeoutMs: number;
  /** Content filters applied to sent text (services/filters.ts). */
  filters: FilterConfig;
  /** How long after a user's last stream closes before contacts hear they went offline. */
  presenceGraceMs: number;
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

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env): Config {
  const adminIds = list(env, "PARLEY_ADMIN_IDS");
  for (const id of adminIds) {
    if (!isUserId(id)) throw new ConfigError("PARLEY_ADMIN_IDS", `"${id}" is not a valid user id`);
  }
  const provider = env.PARLEY_TRANSLATE_PROVIDER?.trim() || undefined;
  if (provider && provider !== "yandex" && provider !== "libretranslate") {
    throw new ConfigError("PARLEY_TRANSLATE_PROVIDER", `must be yandex or libretranslate`);
  }
  const cfg: Config = {
    port: int(env, "PORT", 8000, 0, 65535)!,
    kvPath: env.PARLEY_KV_PATH?.trim() || undefined,
    adminIds: new Set(adminIds),
    trustedIps: list(env, "PARLEY_TRUSTED_IPS"),
    trustProxy: int(env, "PARLEY_TRUST_PROXY", 0, 0, 10)!,
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
    },
    webhookUrl: url(env, "PARLEY_WEBHOOK_URL"),
    webhookSecret: secret(env, "PARLEY_WEBHOOK_SECRET"),
    retentionDays: int(env, "PARLEY_RETENTION_DAYS", undefined, 1, 36500),
    sessionTtlSeconds: int(env, "PARLEY_SESSION_TTL", 12 * 3600, 60, 30 * 86400)!,
    userCacheSeconds: int(env, "PARLEY_USER_CACHE_TTL", 300, 0, 86400)!,
    hashCacheSeconds: int(env, "PARLEY_HASH_CACHE_TTL", 60, 0, 3600)!,
    hostTimeoutMs: int(env, "PARLEY_HOST_TIMEOUT_MS", 5000, 100, 60000)!,
    filters: filterConfig(env),
    presenceGraceMs: int(env, "PARLEY_PRESENCE_GRACE_MS", 3000, 0, 60000)!,
  };
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
