/** `GET /api/v1/admin/messages?who=`: the monitor's filter, searched by the server. */
import type { Context } from "hono";
import { listMessagesOfWho } from "../../kv/moderation/who_listing.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest } from "../../services/core/errors.ts";
import { intQuery } from "../middleware.ts";
import { profilesFor, ulidCursor } from "./params.ts";

/** The messages of the users `who` names; `who` is the whole query (no user, peer, range, q). */
export async function whoMessages(deps: Deps, c: Context<AppEnv>, who: string) {
  for (const other of ["user", "peer", "from", "to", "attachments", "q"]) {
    if (c.req.query(other)) {
      throw badRequest("who_alone", `who is not combined with ${other}`, other);
    }
  }
  const page = await listMessagesOfWho(
    deps.kv,
    who,
    ulidCursor(c),
    intQuery(c, "limit", 50, 1, 200),
  );
  const ids = [...page.matched, ...page.messages.flatMap((m) => [m.from, m.to])];
  return { ...page, users: await profilesFor(deps, ids) };
}
