/**
 * The admin list views' query parameters and one page of each, shared by the API's listings and
 * their export (routes/admin/export.ts), so an export is exactly the view it was asked from.
 */
import type { Context } from "hono";
import type { AuditFilter, AuditRow } from "../../kv/moderation/audit.ts";
import { MANAGE_ACTOR } from "../manage/moderation.ts";
import {
  type AdminMessage,
  type AdminMessageQuery,
  listAdminMessages,
} from "../../kv/moderation/message_listings.ts";
import { searchAdminMessages } from "../../kv/moderation/message_search.ts";
import { badRequest } from "../../services/core/errors.ts";
import { intQuery } from "../middleware.ts";
import { rangeQuery, ulidCursor, userQuery } from "./params.ts";

export type MessageQuery = AdminMessageQuery & { q?: string };

/** `user`, `peer`, `from`, `to`, `attachments=1`, `q` (text, up to 100 characters), paging. */
export function messageQuery(c: Context, maxLimit = 200): MessageQuery {
  const user = userQuery(c, "user");
  const peer = userQuery(c, "peer");
  if (peer && !user) throw badRequest("peer_needs_user", "peer is given only with user", "peer");
  if (peer && peer === user) {
    throw badRequest("self_dialog", "peer must differ from user", "peer");
  }
  const attachments = c.req.query("attachments");
  if (attachments && attachments !== "1" && attachments !== "0") {
    throw badRequest("invalid_query", "attachments must be 1 or 0", "attachments");
  }
  const q = (c.req.query("q") ?? "").trim();
  if ([...q].length > 100) throw badRequest("q_too_long", "q must be at most 100 characters", "q");
  return {
    user,
    peer,
    ...rangeQuery(c),
    attachments: attachments === "1",
    q: q || undefined,
    cursor: ulidCursor(c),
    limit: intQuery(c, "limit", 50, 1, maxLimit),
  };
}

/** One page of messages: the listing, or with `q` the text search. */
export function adminMessagesPage(
  kv: Deno.Kv,
  q: MessageQuery,
): Promise<{ messages: AdminMessage[]; next_cursor: string | null }> {
  return q.q ? searchAdminMessages(kv, { ...q, q: q.q }) : listAdminMessages(kv, q);
}

/** The audit log's filters: `by` (actor id or `manage_api`), `action` (or a group: `user.`), `target`. */
export function auditFilter(c: Context): AuditFilter {
  const by = c.req.query("by")?.trim() || undefined;
  const action = c.req.query("action")?.trim() || undefined;
  const target = c.req.query("target")?.trim() || undefined;
  if (action && !/^[a-z_]+\.([a-z_]+)?$/.test(action)) {
    throw badRequest(
      "invalid_query",
      "action must look like user.ban (or user. for a group)",
      "action",
    );
  }
  for (const [name, v] of [["by", by], ["target", target]] as const) {
    if (v && (v.length > 64 || !/^[\w@-]+$/.test(v))) {
      throw badRequest("invalid_query", `${name} must be a user, message or complaint id`, name);
    }
  }
  return { by, action, target };
}

/** The user ids among audit rows' actors: the site itself (`manage_api`) is no user to look up. */
export function actors(rows: AuditRow[]): string[] {
  return rows.map((r) => r.by).filter((by) => by !== MANAGE_ACTOR);
}
