/** Request helpers of the admin API: the admin gate, query and body parsing, user names. */
import type { Context, MiddlewareHandler } from "hono";
import { keys } from "../../kv/keys.ts";
import { getProfile, getProfiles, publicProfile } from "../../kv/people/users.ts";
import type { UserProfile } from "../../kv/types.ts";
import { isAdminNow } from "../../kv/people/roles.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { ApiError, badRequest, forbidden } from "../../services/core/errors.ts";
import { isUlid, normaliseUserId } from "../../services/core/ids.ts";

/**
 * After requireAdminCaller: 403 `not_admin` unless the caller is an admin now (PARLEY_ADMIN_IDS,
 * or a role set through the manage API), checked on every request.
 */
export function requireAdmin(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!await isAdminNow(deps.kv, deps.cfg, c.get("uid"))) {
      throw forbidden("not_admin", "this needs an admin (PARLEY_ADMIN_IDS)");
    }
    await next();
  };
}

/** An optional user id query parameter. */
export function userQuery(c: Context, name: string): string | undefined {
  const raw = c.req.query(name);
  return raw === undefined || raw === "" ? undefined : normaliseUserId(raw, name);
}

/** An optional time: ISO-8601 (date or date-time) or milliseconds since the epoch. */
export function timeQuery(c: Context, name: string): number | undefined {
  const raw = c.req.query(name)?.trim();
  if (!raw) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) {
    throw badRequest(
      "invalid_query",
      `${name} must be an ISO-8601 time or epoch milliseconds`,
      name,
    );
  }
  return ms;
}

/** An optional cursor that must be a ULID (message, audit and complaint cursors). */
export function ulidCursor(c: Context, name = "cursor"): string | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  if (!isUlid(raw)) throw badRequest("invalid_cursor", "cursor is not one this API returned", name);
  return raw;
}

/** A path parameter that must be a ULID (message and complaint ids). */
export function ulidParam(c: Context, name: string): string {
  const raw = c.req.param(name) ?? "";
  if (!isUlid(raw)) throw badRequest(`invalid_${name}`, `${name} must be an id`, name);
  return raw;
}

/** An optional free-text field (note, reason) of at most `max` characters. */
export function noteField(body: Record<string, unknown>, name: string, max = 1000): string {
  const v = body[name];
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw badRequest(`invalid_${name}`, `${name} must be a string`, name);
  const s = v.trim();
  if ([...s].length > max) {
    throw badRequest(`${name}_too_long`, `${name} must be at most ${max} characters`, name);
  }
  return s;
}

/** Public profiles of the users a response mentions, by id (names for the admin page). */
export async function profilesFor(deps: Deps, ids: string[]) {
  const profiles = await getProfiles(deps.kv, deps.cfg, ids);
  return Object.fromEntries([...profiles].map(([id, p]) => [id, publicProfile(p)]));
}

/**
 * The profile of a user the admin may act on, or 404 `unknown_user`: the host answered that it
 * has no such user, or nothing at all is known of the id (no profile from the host or the manage
 * API, never in a message, not banned). No made-up profiles, no "Done." for a typo.
 */
export async function knownUser(deps: Deps, uid: string): Promise<UserProfile> {
  const profile = await getProfile(deps.kv, deps.cfg, uid);
  if (!profile.unknown && profile.source !== "none") return profile;
  if (!profile.unknown) {
    const [seen, ban] = await deps.kv.getMany([keys.adminSeenUser(uid), keys.ban(uid)]);
    if (seen.value !== null || ban.value !== null) return profile;
  }
  throw new ApiError(404, "unknown_user", `there is no user ${uid}`, "uid");
}
