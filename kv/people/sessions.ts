import { randomToken } from "../../services/core/crypto.ts";
import { keys } from "../keys.ts";
import type { Session } from "../types.ts";

/** Issues a bearer token for `uid`, valid for `ttlSeconds`. */
export async function createSession(kv: Deno.Kv, uid: string, ttlSeconds: number) {
  const token = randomToken();
  const session: Session = { user_id: uid, expires_at: Date.now() + ttlSeconds * 1000 };
  const expireIn = ttlSeconds * 1000;
  const res = await kv.atomic()
    .check({ key: keys.session(token), versionstamp: null })
    .set(keys.session(token), session, { expireIn })
    .set(keys.userSession(uid, token), null, { expireIn })
    .commit();
  if (!res.ok) throw new Error("session token collision");
  return { token, session };
}

/** The live session behind a token, or null (expiry is checked here, not left to KV's sweep). */
export async function getSession(kv: Deno.Kv, token: string): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const s = (await kv.get<Session>(keys.session(token))).value;
  return s && s.expires_at > Date.now() ? s : null;
}

/** Revokes every session of a user (manage API "log out", delete, ban). */
export async function revokeSessions(kv: Deno.Kv, uid: string): Promise<number> {
  let n = 0;
  for await (const e of kv.list({ prefix: keys.userSessions(uid) })) {
    const token = e.key[2] as string;
    await kv.atomic().delete(keys.session(token)).delete(e.key).commit();
    n++;
  }
  return n;
}
