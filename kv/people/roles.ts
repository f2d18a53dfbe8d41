/**
 * Who is an admin right now: a role set through the manage API wins over PARLEY_ADMIN_IDS, so
 * the site can grant or withdraw admin rights without a restart (open admin streams re-check on
 * the session epoch the change bumps).
 */
import type { Config } from "../../services/core/config.ts";
import { getManyChunked } from "../batch.ts";
import { keys } from "../keys.ts";
import { bumpSessionEpoch } from "./sessions.ts";

export type Role = "admin" | "user";

/** Whether `uid` has admin rights now (one KV read). */
export async function isAdminNow(kv: Deno.Kv, cfg: Config, uid: string): Promise<boolean> {
  const set = (await kv.get<Role>(keys.role(uid))).value;
  return set ? set === "admin" : cfg.adminIds.has(uid);
}

/** Admin rights of many users at once (listings), by id. */
export async function adminsAmong(kv: Deno.Kv, cfg: Config, uids: string[]): Promise<Set<string>> {
  const set = await getManyChunked<Role>(kv, uids.map((u) => keys.role(u)));
  return new Set(
    uids.filter((u, i) => set[i].value ? set[i].value === "admin" : cfg.adminIds.has(u)),
  );
}

/** Sets `uid`'s role, or with null goes back to PARLEY_ADMIN_IDS; their streams re-check. */
export async function setRole(kv: Deno.Kv, uid: string, role: Role | null) {
  if (role) await kv.set(keys.role(uid), role);
  else await kv.delete(keys.role(uid));
  await bumpSessionEpoch(kv, uid);
}
