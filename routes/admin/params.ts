/** Request helpers of the admin API: the admin gate, query and body parsing, user names. */
import type { Context, MiddlewareHandler } from "hono";
import { keys } from "../../kv/keys.ts";
import { getProfile, getProfiles, publicProfile } from "../../kv/people/users.ts";
import type { UserProfile } from "../../kv/types.ts";
import { type BanChange, MAX_BAN_MS } from "../../kv/moderation/bans.ts";
import type { ComplaintQuery } from "../../kv/moderation/complaint_query.ts";
import type { ComplaintStatus } from "../../kv/moderation/complaints.ts";
import { intQuery } from "../middleware.ts";
import { staffRoleNow } from "../../kv/people/roles.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { ApiError, badRequest, forbidden } from "../../services/core/errors.ts";
import { isUlid, normaliseUserId } from "../../services/core/ids.ts";

/**
 * After requireAdminCaller: 403 `not_admin` unless the caller is an admin or a moderator now
 * (PARLEY_ADMIN_IDS, PARLEY_MODERATOR_IDS, or a role set through the manage API), checked on every
 * request; `c.get("role")` then says which.
 */
export function requireStaff(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const role = await staffRoleNow(deps.kv, deps.cfg, c.get("uid"));
    if (!role) throw forbidden("not_admin", "this needs an admin (PARLEY_ADMIN_IDS)");
    c.set("role", role);
    await next();
  };
}

/** 403 `moderator_not_allowed` for a moderator: what browses private dialogs is for admins. */
export const adminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("role") !== "admin") {
    throw forbidden(
      "moderator_not_allowed",
      "moderators see private messages only through the complaints that point to them",
    );
  }
  await next();
};

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

/** `from` (inclusive) and `to` (exclusive) times; 400 `invalid_range` unless from < to. */
export function rangeQuery(c: Context): { from?: number; to?: number } {
  const from = timeQuery(c, "from");
  const to = timeQuery(c, "to");
  if (from !== undefined && to !== undefined && from >= to) {
    throw badRequest("invalid_range", "from must be before to", "to");
  }
  return { from, to };
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

/**
 * A ban request's body: `reason`, and how long: `duration` (seconds, 60 up to ten years) or
 * `until` (a future ISO-8601 time); neither means until lifted.
 */
export function banChangeFrom(body: Record<string, unknown>): BanChange {
  const reason = noteField(body, "reason", 500);
  const { duration, until } = body;
  if (duration != null && until != null) {
    throw badRequest("invalid_duration", "give duration or until, not both", "duration");
  }
  const now = Date.now();
  let end: number | null = null;
  if (duration != null) {
    if (!Number.isInteger(duration) || (duration as number) < 60) {
      throw badRequest(
        "invalid_duration",
        "duration must be whole seconds, at least 60",
        "duration",
      );
    }
    end = now + (duration as number) * 1000;
  } else if (until != null) {
    end = typeof until === "string" && /^\d{4}-\d\d-\d\dT/.test(until) ? Date.parse(until) : NaN;
    if (!Number.isFinite(end) || end <= now) {
      throw badRequest("invalid_until", "until must be a future ISO-8601 date-time", "until");
    }
  }
  if (end !== null && end - now > MAX_BAN_MS) {
    // Named after the field the caller gave, so a form can mark it.
    const field = until != null ? "until" : "duration";
    throw badRequest(`invalid_${field}`, "a time-limited ban lasts at most ten years", field);
  }
  return { banned: true, reason, until: end };
}

/** The complaints queue's filters: status, `user` (reporter or accused), `from` / `to`, paging. */
export function complaintQuery(c: Context, status: ComplaintStatus | "all"): ComplaintQuery {
  return {
    status,
    user: userQuery(c, "user"),
    ...rangeQuery(c),
    cursor: ulidCursor(c),
    limit: intQuery(c, "limit", 50, 1, 200),
  };
}
