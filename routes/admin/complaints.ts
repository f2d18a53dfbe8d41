import { Hono } from "hono";
import { ADMIN_LOG, publishAdmin } from "../../kv/moderation/admin_feed.ts";
import {
  type AdminMessage,
  listAdminMessages,
  messageContext,
} from "../../kv/moderation/message_listings.ts";
import { writeAudit } from "../../kv/moderation/audit.ts";
import {
  type AdminComplaint,
  adminComplaint,
  type ComplaintStatus,
  countComplaints,
  getComplaint,
  listComplaints,
  setComplaintStatus,
} from "../../kv/moderation/complaints.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { ApiError, badRequest, notFound } from "../../services/core/errors.ts";
import { noteField, profilesFor, ulidCursor, ulidParam } from "./params.ts";
import { intQuery, optionalJson } from "../middleware.ts";

const STATUSES = ["open", "resolved", "dismissed", "all"] as const;

/** The users a complaint mentions: reporter, accused, and the reported message's two sides. */
function mentioned(c: AdminComplaint): string[] {
  return [c.reporter, c.user_id, ...(c.message ? [c.message.from, c.message.to] : [])];
}

/**
 * `/api/v1/admin/complaints` (mounted inside the admin routes, so behind the admin check): the
 * queue by status, one complaint with the reported message in its context, resolve / dismiss.
 */
export function adminComplaintRoutes(deps: Deps) {
  const { kv, bus } = deps;
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const status = c.req.query("status") || "open";
    if (!(STATUSES as readonly string[]).includes(status)) {
      throw badRequest("invalid_query", `status must be one of ${STATUSES.join(", ")}`, "status");
    }
    const [page, open] = await Promise.all([
      listComplaints(kv, status as ComplaintStatus | "all", {
        cursor: ulidCursor(c),
        limit: intQuery(c, "limit", 50, 1, 200),
      }),
      countComplaints(kv, "open"),
    ]);
    const complaints = page.complaints.map(adminComplaint);
    const users = await profilesFor(deps, complaints.flatMap(mentioned));
    return c.json({ complaints, next_cursor: page.next_cursor, open_count: open, users });
  });

  app.get("/:id", async (c) => {
    const stored = await getComplaint(kv, ulidParam(c, "id"));
    if (!stored) throw notFound("complaint", "id");
    const complaint = adminComplaint(stored);
    const around = intQuery(c, "around", 5, 0, 50);
    let message: AdminMessage | null = null;
    let context: AdminMessage[] = [];
    let deleted = false;
    if (complaint.message_id) {
      const found = await messageContext(kv, complaint.message_id, around);
      if (found) ({ message, context } = found);
      else {
        // Deleted since: the snapshot taken when it was reported is all that is left.
        deleted = true;
        message = complaint.message as AdminMessage | null;
        context = message ? [message] : [];
      }
    } else {
      // A complaint about a user: their latest exchange with the reporter is the context.
      const page = await listAdminMessages(kv, {
        user: complaint.reporter,
        peer: complaint.user_id,
        limit: around * 2 || 1,
      });
      context = page.messages.reverse();
    }
    const users = await profilesFor(deps, [
      ...mentioned(complaint),
      ...context.flatMap((m) => [m.from, m.to]),
    ]);
    return c.json({ complaint, message, message_deleted: deleted, context, users });
  });

  for (const [action, status] of [["resolve", "resolved"], ["dismiss", "dismissed"]] as const) {
    app.post(`/:id/${action}`, async (c) => {
      const id = ulidParam(c, "id");
      const note = noteField(await optionalJson(c), "note");
      const before = await getComplaint(kv, id);
      if (!before) throw notFound("complaint", "id");
      if (before.status !== "open") {
        throw new ApiError(409, "complaint_closed", `the complaint is already ${before.status}`);
      }
      const updated = await setComplaintStatus(kv, id, status, note, c.get("uid"));
      if (!updated) throw notFound("complaint", "id");
      const complaint = adminComplaint(updated);
      const audit = await writeAudit(kv, {
        by: c.get("uid"),
        action: `complaint.${action}`,
        target: id,
        note,
        details: { reporter: complaint.reporter, user_id: complaint.user_id },
      });
      await publishAdmin(kv, [{ type: "complaint_updated", data: complaint }]);
      bus.notify([ADMIN_LOG]);
      return c.json({ complaint, audit });
    });
  }

  return app;
}
