import { keys } from "../../kv/keys.ts";
import type { Config } from "../core/config.ts";
import { hmacHex, hmacKey, sha256Hex, timingSafeEqual, verifyHmacHex } from "../core/crypto.ts";
import { fetchUserHash } from "./callbacks.ts";

let signedKey: { secret: string; key: Promise<CryptoKey> } | null = null;
function signingKey(secret: string): Promise<CryptoKey> {
  if (signedKey?.secret !== secret) signedKey = { secret, key: hmacKey(secret) };
  return signedKey.key;
}

/** The user_key a host site computes in signed mode: hex(HMAC-SHA256(secret, user_id)). */
export async function signedUserKey(secret: string, uid: string): Promise<string> {
  return hmacHex(await signingKey(secret), uid);
}

/**
 * Checks a user's key against every configured mode, cheapest first: a key registered through the
 * manage API, the signed mode's HMAC, then the host's URL_getUsersHash (cached briefly in KV as a
 * SHA-256, never in plain). Throws HostError (502) only when the host was needed and failed.
 */
export async function verifyUserKey(
  kv: Deno.Kv,
  cfg: Config,
  uid: string,
  userKey: string,
): Promise<boolean> {
  if (!userKey || userKey.length > 512) return false;
  const registered = (await kv.get<string>(keys.userKey(uid))).value;
  if (registered && await timingSafeEqual(registered, await sha256Hex(userKey))) return true;
  if (cfg.authSecret && await verifyHmacHex(await signingKey(cfg.authSecret), uid, userKey)) {
    return true;
  }
  if (cfg.usersHashUrl) {
    const cached = (await kv.get<{ hash: string; at: number }>(keys.hostHash(uid))).value;
    const keyHash = await sha256Hex(userKey);
    if (cached && Date.now() - cached.at < cfg.hashCacheSeconds * 1000) {
      if (await timingSafeEqual(cached.hash, keyHash)) return true;
      // A changed hash (new login on the site) falls through to ask the host again.
    }
    const hostHash = await sha256Hex(await fetchUserHash(cfg, uid));
    if (cfg.hashCacheSeconds > 0) {
      await kv.set(keys.hostHash(uid), { hash: hostHash, at: Date.now() }, {
        expireIn: cfg.hashCacheSeconds * 1000,
      });
    }
    return await timingSafeEqual(hostHash, keyHash);
  }
  return false;
}

export function isAdmin(cfg: Config, uid: string): boolean {
  return cfg.adminIds.has(uid);
}
