/**
 * One-time admin sign-in codes: the host site mints one through the manage API for a signed-in
 * admin and sends them to `/admin#signin=<code>` (a fragment, so it reaches no server log); the
 * page trades it once for its cookie session. Only the code's SHA-256 is stored.
 */
import { randomToken, sha256Hex } from "../../services/core/crypto.ts";
import { keys } from "../keys.ts";
import type { AdminSignInCode } from "../types.ts";

/** Mints a code for `uid`, valid for `ttlSeconds`. */
export async function mintSignInCode(kv: Deno.Kv, uid: string, ttlSeconds: number) {
  const code = randomToken();
  const rec: AdminSignInCode = { user_id: uid, expires_at: Date.now() + ttlSeconds * 1000 };
  await kv.set(keys.adminSignInCode(await sha256Hex(code)), rec, { expireIn: ttlSeconds * 1000 });
  return { code, expires_at: rec.expires_at };
}

/** Uses a code up: the user it signs in, or null (unknown, used already, or expired). */
export async function redeemSignInCode(kv: Deno.Kv, code: string): Promise<string | null> {
  if (!code || code.length > 100) return null;
  const key = keys.adminSignInCode(await sha256Hex(code));
  const entry = await kv.get<AdminSignInCode>(key);
  if (!entry.value) return null;
  // The check makes a replay racing the first use lose: only one commit deletes the entry.
  const res = await kv.atomic().check(entry).delete(key).commit();
  if (!res.ok || entry.value.expires_at <= Date.now()) return null;
  return entry.value.user_id;
}
