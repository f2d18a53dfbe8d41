/**
 * Bans: a banned user may read but not send. A ban is forever or until a time; an expired ban is
 * no ban wherever one is read (`banActive`), since `expireIn` only sets the earliest deletion.
 * Every change is audited in its own atomic and pushed to the user's widgets and the monitor.
 */
import { staffRoleNow } from "../people/roles.ts";
import { getProfile } from "../people/users.ts";
import type { Config } from "../../services/core/config.ts";
import type { Deps } from "../../services/core/context.ts";
import { forbidden } from "../../services/core/errors.ts";
import { publishAdmin } from "./admin_feed.ts";
import { commitWithRetry } from "../atomic.ts";
import { addAudit, type AuditRow } from "./audit.ts";
import { publish } from "../messaging/events.ts";
import { keys } from "../keys.ts";

export interface Ban {
  user_id: string;
  by: string;
  at: string;
  reason: string;
  /** When the ban ends (ISO-8601), or null: until lifted. Older records lack it (forever). */
  until?: string | null;
}

/** The longest time-limited ban: ten years (longer is "forever"). */
export const MAX_BAN_MS = 10 * 365 * 86_400_000;

/** Whether a stored ban still applies at `now` (an expired one may linger in KV for a while). */
export function banActive(ban: Ban | null | undefined, now = Date.now()): ban is Ban {
  return Boolean(ban) && (!ban!.until || Date.parse(ban!.until) > now);
}

/** The user's ban if it applies now, or null. */
export async function getBan(kv: Deno.Kv, uid: string): Promise<Ban | null> {
  const ban = (await kv.get<Ban>(keys.ban(uid))).value;
  return banActive(ban) ? ban : null;
}

/** Whether the user is banned now (may read, may not send). */
export async function isBanned(kv: Deno.Kv, uid: string): Promise<boolean> {
  return (await getBan(kv, uid)) !== null;
}

/** What to do: ban (until a time in ms, or null for until lifted) or lift the ban. */
export type BanChange = { banned: true; reason: string; until: number | null } | {
  banned: false;
};

/**
 * Adds a ban change to `op` (which must check `entry`, the ban key as read) with its audit row.
 * Banning again replaces the reason and the end; lifting a ban that is not there (or expired) is
 * still audited (the moderator did it). Used alone and by "resolve and ban".
 */
export function addBanChange(
  op: Deno.AtomicOperation,
  entry: Deno.KvEntryMaybe<Ban>,
  uid: string,
  by: string,
  change: BanChange,
): { ban: Ban | null; audit: AuditRow } {
  const now = Date.now();
  const ban: Ban | null = change.banned
    ? {
      user_id: uid,
      by,
      at: new Date(now).toISOString(),
      reason: change.reason,
      until: change.until === null ? null : new Date(change.until).toISOString(),
    }
    : null;
  // The store may drop an expired ban on its own; reads never rely on that.
  if (ban) {
    op.set(
      keys.ban(uid),
      ban,
      change.banned && change.until
        ? {
          expireIn: Math.max(1000, change.until - now),
        }
        : undefined,
    );
  } else op.delete(keys.ban(uid));
  const lifted = banActive(entry.value, now) ? entry.value : null;
  const audit = addAudit(op, {
    by,
    action: ban ? "user.ban" : "user.unban",
    target: uid,
    note: change.banned ? change.reason : "",
    ...(ban?.until ? { details: { until: ban.until } } : {}),
    ...(!ban && lifted ? { details: { banned_by: lifted.by } } : {}),
  });
  return { ban, audit };
}

/** Bans or unbans a user, with an audit row in the same atomic. */
export async function setBan(
  kv: Deno.Kv,
  uid: string,
  by: string,
  change: BanChange,
): Promise<{ ban: Ban | null; audit: AuditRow }> {
  const out = await commitWithRetry(async () => {
    const entry = await kv.get<Ban>(keys.ban(uid));
    const op = kv.atomic().check(entry);
    return { op, result: addBanChange(op, entry, uid, by, change) };
  });
  return out!;
}

/** 403 `cannot_ban_admin` when `uid` works on the admin page (admins and moderators). */
export async function refuseStaffBan(deps: Deps, uid: string) {
  if (await staffRoleNow(deps.kv, deps.cfg, uid)) {
    throw forbidden("cannot_ban_admin", "admins and moderators cannot be banned");
  }
}

/**
 * Tells the monitor and the user's open widgets about a committed ban change: the widgets
 * switch to read-only (or back) at once, in the widget's language, and learn until when. Its
 * events wake this process's streams once committed and ring other hosts' (kv/after_commit.ts,
 * kv/messaging/log_hosts.ts).
 */
export async function announceBan(deps: Deps, uid: string, ban: Ban | null) {
  await publishBan(deps.kv, deps.cfg, uid, ban);
}

/** The events of a ban change: the admin log's, and the user's own. */
async function publishBan(kv: Deno.Kv, cfg: Config, uid: string, ban: Ban | null) {
  await publishAdmin(kv, [{ type: "ban", data: { user_id: uid, banned: !!ban, ban } }]);
  const hostError = (await getProfile(kv, cfg, uid)).error;
  const notice = (lang: "ru" | "en") => hostError || (ban ? banNotice(lang, ban.until) : "");
  await publish(kv, [{
    uid,
    type: "ban",
    data: {
      banned: !!ban,
      until: ban?.until ?? null,
      read_only: !!ban || Boolean(hostError),
      error: { ru: notice("ru"), en: notice("en") },
    },
  }]);
}

/** Bans one maintenance run looks at, at most (the next run goes on). */
const EXPIRY_SCAN = 1000;

/**
 * Removes bans whose time is up and tells the users' open widgets (and the monitor) that they
 * may write again, so a widget switched to read-only does not wait for a reload. Reads never
 * needed this (an expired ban never applies); it is the hourly run's tidy-up. Returns how many.
 */
export async function endExpiredBans(kv: Deno.Kv, cfg: Config, now = Date.now()): Promise<number> {
  let ended = 0;
  for await (const e of kv.list<Ban>({ prefix: keys.bans() }, { limit: EXPIRY_SCAN })) {
    if (!e.value.until || Date.parse(e.value.until) > now) continue;
    // Checked: a new ban set meanwhile stays.
    if (!(await kv.atomic().check(e).delete(e.key).commit()).ok) continue;
    await publishBan(kv, cfg, e.value.user_id, null);
    ended++;
  }
  return ended;
}

/**
 * Bans or unbans `uid` on behalf of `by` (a moderator, or the site through the manage API):
 * staff cannot be banned; the change is audited and shown live.
 */
export async function banUser(
  deps: Deps,
  uid: string,
  by: string,
  change: BanChange,
): Promise<{ ban: Ban | null; audit: AuditRow }> {
  if (change.banned) await refuseStaffBan(deps, uid);
  const result = await setBan(deps.kv, uid, by, change);
  await announceBan(deps, uid, result.ban);
  return result;
}

/** Users banned now, by id; `cursor` is the last id of the previous page. */
export async function listBans(
  kv: Deno.Kv,
  opts: { cursor?: string; limit: number },
): Promise<{ bans: Ban[]; next_cursor: string | null }> {
  const iter = kv.list<Ban>(
    opts.cursor ? { prefix: keys.bans(), start: keys.ban(opts.cursor + "\0") } : {
      prefix: keys.bans(),
    },
  );
  const bans: Ban[] = [];
  let more = false;
  const now = Date.now();
  for await (const e of iter) {
    if (!banActive(e.value, now)) continue;
    if (bans.length === opts.limit) {
      more = true;
      break;
    }
    bans.push({ ...e.value, until: e.value.until ?? null });
  }
  return { bans, next_cursor: more ? bans.at(-1)!.user_id : null };
}

/**
 * What a banned user's widget shows instead of the composer, with the ban's end if it has one
 * (in UTC: the server does not know the reader's time zone). The admin's reason stays private.
 */
export function banNotice(lang: "ru" | "en", until?: string | null): string {
  const end = until ? new Date(until).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "";
  if (lang === "ru") {
    return end
      ? `Модератор отключил отправку сообщений для вашей учётной записи до ${end}. Читать переписку можно.`
      : "Модератор отключил отправку сообщений для вашей учётной записи. Читать переписку можно.";
  }
  return end
    ? `A moderator has turned off sending messages for your account until ${end}. You can still read them.`
    : "A moderator has turned off sending messages for your account. You can still read them.";
}
