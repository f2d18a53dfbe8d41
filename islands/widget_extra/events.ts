/**
 * The live events the core hands over (islands/widget/live.ts): edits, marks set in another tab,
 * and bans (deletions: islands/widget_chat/deleted.ts). Rare, so they wait for this script (loaded right after init).
 */
import type { EventType } from "../widget/sse.ts";
import type { Message } from "../widget/types.ts";
import { onEdited } from "./edit.ts";
import { findContacts, person, S, update, withExtra } from "./core.ts";

/** Applies one of the rarer live events. */
export function onEvent(type: EventType, d: Record<string, unknown>) {
  if (type === "message_edited") onEdited(d.message as Message);
  else if (type === "contact") {
    Object.assign(person(d.peer as string), { favourite: d.favourite, blocked: d.blocked });
    if (S.tab !== "all") findContacts();
  } else if (type === "ban" && S.me) {
    // A moderator banned or unbanned this user: the composer goes (or comes back) at once.
    const error = d.error as { ru?: string; en?: string } | undefined;
    S.me = {
      ...S.me,
      read_only: Boolean(d.read_only),
      error: error?.[S.lang] ?? "",
      banned: Boolean(d.banned),
      ban_until: (d.until as string | null | undefined) ?? null,
    };
    // A ban for a time: the composer comes back when it ends (islands/widget_look/ban_end.ts).
    withExtra((x) => x.watchBanEnd());
  }
  update();
}
