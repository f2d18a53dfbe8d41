/**
 * Who may use the admin page right now, and how much of it. A role set through the manage API
 * wins over PARLEY_ADMIN_IDS / PARLEY_MODERATOR_IDS, so the site can grant or withdraw rights
 * without a restart (open admin streams re-check on the session epoch the change bumps).
 *
 * - `admin`: everything, as before.
 * - `moderator`: the complaints queue, deleting messages, bans; no browsing of private dialogs
 *   (monitor, dialog and user views, gallery, text search) beyond the context a complaint shows.
 */
import type { Config } from "../../services/core/config.ts";
import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";
import { bumpSessionEpoch } from "./sessions.ts";

export type Role = "admin" | "moderator" | "user";
/** The roles that open the admin page. */
export type StaffRole = "admin" | "moderator";

/**
 * The admin-page role of `uid` given their stored role record (`set`, null when none): the
 * record wins over the env lists. Exported for code that reads the record inside its own atomic
 * (kv/moderation/send_guard.ts) instead of through staffRoleNow.
 */
export function effective(set: Role | null, cfg: Config, uid: string): StaffRole | null {
  if (set) return set === "user" ? null : set;
  if (cfg.adminIds.has(uid)) return "admin";
  return cfg.moderatorIds.has(uid) ? "moderator" : null;
}

/** The admin-page role `uid` has now, or null (one KV read). */
export async function staffRoleNow(
  kv: Deno.Kv,
  cfg: Config,
  uid: string,
): Promise<StaffRole | null> {
  return effective((await kv.get<Role>(keys.role(uid))).value, cfg, uid);
}

/** Whether `uid` has full admin rights now (one KV read). */
export async function isAdminNow(kv: Deno.Kv, cfg: Config, uid: string): Promise<boolean> {
  return (await staffRoleNow(kv, cfg, uid)) === "admin";
}

/** Admin-page roles of many users at once (listings), by id; users without one are left out. */
export async function staffAmong(
  kv: Deno.Kv,
  cfg: Config,
  uids: string[],
): Promise<Map<string, StaffRole>> {
  const set = await getManyChunked<Role>(kv, uids.map((u) => keys.role(u)));
  const out = new Map<string, StaffRole>();
  uids.forEach((u, i) => {
    const role = effective(set[i].value, cfg, u);
    if (role) out.set(u, role);
  });
  return out;
}

/** Full admins among `uids`. */
export async function adminsAmong(kv: Deno.Kv, cfg: Config, uids: string[]): Promise<Set<string>> {
  const staff = await staffAmong(kv, cfg, uids);
  return new Set([...staff].filter(([, r]) => r === "admin").map(([u]) => u));
}

/** Sets `uid`'s role, or with null goes back to the env lists; their streams re-check. */
export async function setRole(kv: Deno.Kv, uid: string, role: Role | null) {
  if (role) await kv.set(keys.role(uid), role);
  else await kv.delete(keys.role(uid));
  await bumpSessionEpoch(kv, uid);
}
