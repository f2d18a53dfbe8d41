/**
 * Sessions kept in memory for users whose revocations this process hears at once: users with an
 * open event stream here, for whose logs this host is listed (kv/messaging/log_hosts.ts).
 * Everything that ends or changes a session rings every listed host (log-out, manage log-out,
 * erase, a role change: kv/people/sessions.ts), and the bus drops the user's cached sessions on
 * every such wake, local or rung, and
 * when their last stream leaves. So a chatting user's sends skip the session read (one KV read of
 * about eight per send) and a revoked token is refused as soon as the wake arrives. Expiry is
 * checked on every hit.
 */
import type { Session } from "../../kv/types.ts";

/** Users whose last drop is remembered, before the memory is traded for a floor. */
const REMEMBERED = 10_000;

export class SessionCache {
  #byToken = new Map<string, Session>();
  #tokensOf = new Map<string, Set<string>>();
  /** Bumped by every drop: a read that began before a drop of its user must not be cached. */
  #drops = 0;
  /** When each user's sessions were last dropped (in drops). */
  #droppedAt = new Map<string, number>();
  /** Reads that began before this are not cached (clear(), or forgotten drops). */
  #floor = 0;

  /** Taken before a session read; put() with it keeps the result only if still current. */
  get generation(): number {
    return this.#drops;
  }

  /** The cached live session behind `token`, if any. */
  get(token: string): Session | null {
    const s = this.#byToken.get(token);
    if (!s) return null;
    if (s.expires_at > Date.now()) return s;
    this.#byToken.delete(token);
    this.#tokensOf.get(s.user_id)?.delete(token);
    return null;
  }

  /**
   * Keeps `s` unless its user's sessions were dropped since `generation` (when its read began).
   * Per user: 5,000 streams opening together each drop their own user once joined, and a global
   * count would refuse nearly every read that overlapped one of them.
   */
  put(token: string, s: Session, generation: number) {
    if (generation < this.#floor || (this.#droppedAt.get(s.user_id) ?? -1) >= generation) return;
    this.#byToken.set(token, s);
    let set = this.#tokensOf.get(s.user_id);
    if (!set) this.#tokensOf.set(s.user_id, set = new Set());
    set.add(token);
  }

  /** Forgets every cached session of `uid`. */
  drop(uid: string) {
    this.#droppedAt.set(uid, this.#drops++);
    if (this.#droppedAt.size > REMEMBERED) this.#forgetDrops();
    const set = this.#tokensOf.get(uid);
    if (!set) return;
    for (const t of set) this.#byToken.delete(t);
    this.#tokensOf.delete(uid);
  }

  clear() {
    this.#forgetDrops();
    this.#byToken.clear();
    this.#tokensOf.clear();
  }

  /** No read that began before now is cached; the per-user record starts again. */
  #forgetDrops() {
    this.#floor = ++this.#drops;
    this.#droppedAt.clear();
  }
}
