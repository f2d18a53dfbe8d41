/**
 * Failed sign-ins, counted per user id and per client address in KV (so every instance shares
 * the count). Only failures count, so a user opening many pages never hits the limit; once either
 * count is full, sign-in answers 429 before any key is checked or the host is asked.
 */
import type { Config } from "../../services/core/config.ts";
import { peekRate, rateLimited, takeRate } from "../ratelimit.ts";

const BY_USER = "signin_user";
const BY_IP = "signin_ip";

/** Throws 429 with Retry-After when `uid` or `ip` has used up its failed sign-ins. */
export async function refuseIfLocked(
  kv: Deno.Kv,
  cfg: Config,
  uid: string,
  ip: string,
): Promise<void> {
  const { signIn, signInIp } = cfg.rateLimits;
  for (const [bucket, id, limit] of [[BY_USER, uid, signIn], [BY_IP, ip, signInIp]] as const) {
    if (!limit) continue;
    const d = await peekRate(kv, bucket, id, limit);
    if (!d.allowed) throw rateLimited("failed sign-ins", d.retryAfterSeconds);
  }
}

/** Counts one failed sign-in against the user id and the client address. */
export async function countFailure(
  kv: Deno.Kv,
  cfg: Config,
  uid: string,
  ip: string,
): Promise<void> {
  const { signIn, signInIp } = cfg.rateLimits;
  if (signIn) await takeRate(kv, BY_USER, uid, signIn);
  if (signInIp) await takeRate(kv, BY_IP, ip, signInIp);
}
