/**
 * What a user's send (and typing) must pass, read inside the write's own atomic and checked
 * there: the sender's ban and the block records of both sides. A ban or block that commits while
 * a send is in flight changes a checked key, so the send re-reads and is refused; it can never
 * land after the ban or block has answered.
 */
import type { Config } from "../../services/core/config.ts";
import { forbidden } from "../../services/core/errors.ts";
import { keys } from "../keys.ts";
import { type Ban, banActive } from "./bans.ts";
import type { ContactRecord } from "../people/contact_index.ts";
import { effective, type Role } from "../people/roles.ts";

/** Reads what a write depends on, throws if it is refused, returns the entries to check. */
export type SendGuard = (kv: Deno.Kv) => Promise<Deno.KvEntryMaybe<unknown>[]>;

/**
 * The guard of a chatting user's write from `from` to `to`: 403 `banned` when a moderator turned
 * off their sending, 403 `you_blocked` when the sender blocked the recipient (unblock first), 403
 * `blocked` when the recipient blocked the sender. A block recorded against someone who is now an
 * admin (PARLEY_ADMIN_IDS or a role set through the manage API) no longer applies. Four keys read
 * in one getMany, three of them checked (the atomic's limit is 10): the ban, the sender's own
 * record, and either the recipient's record or, when that blocks the sender, the sender's role
 * record, the only thing the send then depends on (a withdrawn role fails the check, and the
 * retry refuses).
 */
export function userSendGuard(cfg: Config, from: string, to: string): SendGuard {
  return async (kv) => {
    const [ban, mine, theirs, role] = await kv.getMany<[Ban, ContactRecord, ContactRecord, Role]>([
      keys.ban(from),
      keys.contact(from, to),
      keys.contact(to, from),
      keys.role(from),
    ]);
    // An expired ban that the store has not dropped yet no longer applies.
    if (banActive(ban.value)) throw forbidden("banned", "a moderator has turned off your sending");
    if (mine.value?.blocked) {
      throw forbidden("you_blocked", "you blocked this user; unblock them to write");
    }
    if (!theirs.value?.blocked) return [ban, mine, theirs];
    if (effective(role.value, cfg, from) !== "admin") {
      throw forbidden("blocked", "this user does not accept your messages");
    }
    return [ban, mine, role];
  };
}

/** One guard that runs every given guard and checks all their entries. */
export function allGuards(...guards: (SendGuard | null)[]): SendGuard {
  const live = guards.filter((g): g is SendGuard => g !== null);
  return async (kv) => (await Promise.all(live.map((g) => g(kv)))).flat();
}
