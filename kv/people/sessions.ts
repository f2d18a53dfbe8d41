import { randomToken } from "../../services/core/crypto.ts";
import { commitWithRetry } from "../atomic.ts";
import { userDeleted } from "../messaging/events.ts";
import { otherHosts, ring } from "../messaging/log_hosts.ts";
import { keys } from "../keys.ts";
import type { Session } from "../types.ts";

/**
 * Issues a session for `uid`, valid for `ttlSeconds`: a bearer token (the widget's), or with
 * `kind: "admin"` the admin page's cookie session, which also carries its CSRF value. Refused
 * (410) while `uid` is being erased, checked in the atomic.
 */
export async function createSession(
  kv: Deno.Kv,
  uid: string,
  ttlSeconds: number,
  kind?: "admin",
) {
  const token = randomToken();
  const session: Session = { user_id: uid, expires_at: Date.now() + ttlSeconds * 1000 };
  if (kind) Object.assign(session, { kind, csrf: randomToken(16) });
  const expireIn = ttlSeconds * 1000;
  if ((await kv.get(keys.erasing(uid))).value !== null) throw userDeleted(uid, "user_id");
  const res = await kv.atomic()
    .check({ key: keys.session(token), versionstamp: null })
    .check({ key: keys.erasing(uid), versionstamp: null })
    .set(keys.session(token), session, { expireIn })
    .set(keys.userSession(uid, token), null, { expireIn })
    .commit();
  if (!res.ok) {
    if ((await kv.get(keys.erasing(uid))).value !== null) throw userDeleted(uid, "user_id");
    throw new Error("session token collision");
  }
  return { token, session };
}

/** The live session behind a token, or null (expiry is checked here, not left to KV's sweep). */
export async function getSession(kv: Deno.Kv, token: string): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const s = (await kv.get<Session>(keys.session(token))).value;
  return s && s.expires_at > Date.now() ? s : null;
}

/**
 * Adds to `op` what tells every open stream of `uid` to re-check its session and rights: the
 * epoch bump, and a ring to each other host streaming their log (kv/messaging/log_hosts.ts), the
 * list checked so that a host joining meanwhile is rung too. Streams of this process hear it from
 * bus.revoked(uid).
 */
function addRevocation(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  uid: string,
  hosts: Deno.KvEntryMaybe<string[]>,
) {
  op.check(hosts).sum(keys.sessionEpoch(uid), 1n);
  ring(op, new Map(otherHosts(kv, hosts).map((h) => [h, { logs: [], revoked: [uid] }])));
}

/** Tells every open stream of `uid`, on every host, to re-check its session and rights. */
export async function bumpSessionEpoch(kv: Deno.Kv, uid: string) {
  await commitWithRetry(async () => {
    const op = kv.atomic();
    addRevocation(kv, op, uid, await kv.get<string[]>(keys.logHosts(uid)));
    return { op, result: true };
  });
}

/** Ends one session (`DELETE /api/v1/session`, admin sign-out); returns whose it was. */
export async function revokeSession(kv: Deno.Kv, token: string): Promise<string | null> {
  const s = await getSession(kv, token);
  if (!s) return null;
  await commitWithRetry(async () => {
    const op = kv.atomic().delete(keys.session(token)).delete(keys.userSession(s.user_id, token));
    addRevocation(kv, op, s.user_id, await kv.get<string[]>(keys.logHosts(s.user_id)));
    return { op, result: true };
  });
  return s.user_id;
}

/**
 * Revokes the sessions of a user (manage API "log out", delete, ban): every one, or only those
 * `which` picks (the admin page's "sign out everywhere" ends its cookie sessions only).
 */
export async function revokeSessions(
  kv: Deno.Kv,
  uid: string,
  which?: (s: Session | null) => boolean,
): Promise<number> {
  let n = 0;
  for await (const e of kv.list({ prefix: keys.userSessions(uid) })) {
    const token = e.key[2] as string;
    if (which && !which((await kv.get<Session>(keys.session(token))).value)) continue;
    await kv.atomic().delete(keys.session(token)).delete(e.key).commit();
    n++;
  }
  // Only a revoked session can have open streams to wake (and a repeat erase finds nothing).
  if (n > 0) await bumpSessionEpoch(kv, uid);
  return n;
}
