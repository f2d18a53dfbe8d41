import { keys } from "../../kv/keys.ts";
import type { Config } from "../core/config.ts";
import { hmacHex, hmacKey, sha256Hex, timingSafeEqual, verifyHmacHex } from "../core/crypto.ts";
import { fetchUserHash, HostError } from "./callbacks.ts";

let signedKey: { secret: string; key: Promise<CryptoKey> } | null = null;
function signingKey(secret: string): Promise<CryptoKey> {
  if (signedKey?.secret !== secret) signedKey = { secret, key: hmacKey(secret) };
  return signedKey.key;
}

/** The user_key a host site computes in signed mode: hex(HMAC-SHA256(secret, user_id)). */
export async function signedUserKey(secret: string, uid: string): Promise<string> {
  return hmacHex(await signingKey(secret), uid);
}

/** How a key was accepted; a session from the host's hash callback needs its users-info too. */
export type KeyCheck = "registered" | "signed" | "callback";

/** What KV remembers of the host's last hash answer for a user (never the hash in plain). */
interface CachedHash {
  /** SHA-256 of the host's hash; null when the host had none for this user (empty answer). */
  hash: string | null;
  /** When the host gave that answer. */
  at: number;
  /** When the host last failed to answer properly (HostError), if it did since. */
  failedAt?: number;
}

/**
 * How long a negative answer stands (a refused key, an empty answer, a failed host): within it
 * another attempt is refused without asking the host, so 200 wrong keys cost one host call.
 */
export const HASH_RECHECK_MS = 10_000;

/**
 * Checks a user's key against every configured mode, cheapest first: a key registered through the
 * manage API, the signed mode's HMAC, then the host's URL_getUsersHash (cached briefly in KV as a
 * SHA-256, never in plain). Returns how the key was accepted, or null. Throws HostError (502)
 * only when the host was needed and failed.
 */
export async function verifyUserKey(
  kv: Deno.Kv,
  cfg: Config,
  uid: string,
  userKey: string,
): Promise<KeyCheck | null> {
  if (!userKey || userKey.length > 512) return null;
  const keyHash = await sha256Hex(userKey);
  const registered = (await kv.get<string>(keys.userKey(uid))).value;
  if (registered && await timingSafeEqual(registered, keyHash)) return "registered";
  if (cfg.authSecret && await verifyHmacHex(await signingKey(cfg.authSecret), uid, userKey)) {
    return "signed";
  }
  if (!cfg.usersHashUrl) return null;
  return await checkWithHost(kv, cfg, uid, keyHash) ? "callback" : null;
}

async function checkWithHost(kv: Deno.Kv, cfg: Config, uid: string, keyHash: string) {
  const cacheMs = cfg.hashCacheSeconds * 1000;
  const recheckMs = Math.min(HASH_RECHECK_MS, cacheMs);
  const now = Date.now();
  const cached = (await kv.get<CachedHash>(keys.hostHash(uid))).value;
  if (cached) {
    const age = now - cached.at;
    if (age < cacheMs && cached.hash && await timingSafeEqual(cached.hash, keyHash)) return true;
    if (cached.failedAt !== undefined && now - cached.failedAt < recheckMs) {
      throw new HostError("URL_getUsersHash");
    }
    // A changed hash (a new login on the site) asks the host again, but not within moments.
    if (cached.failedAt === undefined && age < recheckMs) return false;
  }
  const remember = (v: CachedHash) =>
    cacheMs > 0 ? kv.set(keys.hostHash(uid), v, { expireIn: cacheMs }) : undefined;
  let hostHash: string | null;
  try {
    hostHash = await fetchUserHash(cfg, uid);
  } catch (e) {
    if (e instanceof HostError) {
      await remember({ hash: cached?.hash ?? null, at: cached?.at ?? now, failedAt: now });
    }
    throw e;
  }
  const hash = hostHash === null ? null : await sha256Hex(hostHash);
  await remember({ hash, at: now });
  return hash !== null && await timingSafeEqual(hash, keyHash);
}
