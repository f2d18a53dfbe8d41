import { Hono } from "hono";
import { publishAdmin } from "../../kv/moderation/admin_feed.ts";
import {
  type AdminMessage,
  listAdminMessages,
  messageContext,
} from "../../kv/moderation/message_listings.ts";
import { announceBan, type BanChange, refuseStaffBan } from "../../kv/moderation/bans.ts";
import { queryComplaints } from "../../kv/moderation/complaint_query.ts";
import {
  assignComplaint,
  closeComplaints,
  MAX_BULK,
} from "../../kv/moderation/complaint_workflow.ts";
import { staffRoleNow } from "../../kv/people/roles.ts";
import { grantImages } from "../../kv/moderation/image_grants.ts";
import { isUlid, normaliseUserId } from "../../services/core/ids.ts";
import {
  type AdminComplaint,
  adminComplaint,
  type ComplaintStatus,
  countComplaints,
  getComplaint,
} from "../../kv/moderation/complaints.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { ApiError, badRequest, notFound } from "../../services/core/errors.ts";
import { banChangeFrom, complaintQuery, noteField, profilesFor, ulidParam } from "./params.ts";
import { intQuery, optionalJson, readJson } from "../middleware.ts";

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
  const { kv } = deps;
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const status = c.req.query("status") || "open";
    if (!(STATUSES as readonly string[]).includes(status)) {
      throw badRequest("invalid_query", `status must be one of ${STATUSES.join(", ")}`, "status");
    }
    const [page, open] = await Promise.all([
      queryComplaints(kv, complaintQuery(c, status as ComplaintStatus | "all")),
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
    // A moderator may open the images of exactly these messages (admins may open any).
    if (c.get("role") === "moderator") await grantImages(kv, c.get("uid"), context);
    return c.json({ complaint, message, message_deleted: deleted, context, users });
  });

  // resolve | dismiss {note?}; resolve also takes {ban: {reason?, duration? | until?}}: the
  // accused is banned in the same atomic. 409 complaint_closed when a colleague decided first.
  for (const [action, status] of [["resolve", "resolved"], ["dismiss", "dismissed"]] as const) {
    app.post(`/:id/${action}`, async (c) => {
      const id = ulidParam(c, "id");
      const body = await optionalJson(c);
      const note = noteField(body, "note");
      let ban: BanChange | null = null;
      if (action === "resolve" && body.ban != null) {
        if (typeof body.ban !== "object") {
          throw badRequest("invalid_ban", "ban must be an object", "ban");
        }
        ban = banChangeFrom(body.ban as Record<string, unknown>);
        const stored = await getComplaint(kv, id);
        if (stored) await refuseStaffBan(deps, stored.target);
      }
      const out = await closeComplaints(kv, [id], status, note, c.get("uid"), ban);
      if (out.skipped[0]?.code === "not_found") throw notFound("complaint", "id");
      if (out.skipped[0]) {
        throw new ApiError(
          409,
          "complaint_closed",
          `the complaint is already ${out.skipped[0].status}`,
        );
      }
      if (out.failed.length) {
        throw new ApiError(503, "not_committed", "the decision could not be stored; try again");
      }
      const complaint = adminComplaint(out.closed[0]);
      await publishAdmin(kv, [{ type: "complaint_updated", data: complaint }]);
      if (ban) await announceBan(deps, complaint.user_id, out.ban);
      return c.json({
        complaint,
        audit: out.audit[0],
        ban: out.ban,
        ban_audit: out.audit[1] ?? null,
      });
    });
  }

  // {ids: [...], action: "resolve" | "dismiss", note?}: closes every open one; the answer says
  // per id what happened (chunks of ten commit on their own, so it may be partial).
  app.post("/bulk", async (c) => {
    const body = await readJson(c);
    const action = body.action;
    if (action !== "resolve" && action !== "dismiss") {
      throw badRequest("invalid_action", 'action must be "resolve" or "dismiss"', "action");
    }
    const ids = body.ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BULK) {
      throw badRequest("invalid_ids", `ids must be a list of 1-${MAX_BULK} complaint ids`, "ids");
    }
    if (!ids.every((id) => typeof id === "string" && isUlid(id))) {
      throw badRequest("invalid_ids", "every id must be a complaint id", "ids");
    }
    const note = noteField(body, "note");
    const status = action === "resolve" ? "resolved" : "dismissed";
    const out = await closeComplaints(kv, ids as string[], status, note, c.get("uid"));
    const complaints = out.closed.map(adminComplaint);
    if (complaints.length) {
      await publishAdmin(kv, complaints.map((data) => ({ type: "complaint_updated", data })));
    }
    return c.json({
      closed: complaints.map((x) => x.id),
      skipped: out.skipped,
      failed: out.failed,
      partial: out.skipped.length + out.failed.length > 0,
      complaints,
    });
  });

  // {user_id}: who handles it (a staff member; the caller's own id claims it); null releases it.
  app.put("/:id/assignee", async (c) => {
    const id = ulidParam(c, "id");
    const raw = (await readJson(c)).user_id;
    let assignee: string | null = null;
    if (raw !== null) {
      assignee = normaliseUserId(typeof raw === "number" ? String(raw) : raw, "user_id");
      if (!await staffRoleNow(kv, deps.cfg, assignee)) {
        throw badRequest(
          "not_staff",
          "complaints are assigned to admins and moderators",
          "user_id",
        );
      }
    }
    const done = await assignComplaint(kv, id, assignee, c.get("uid"));
    if (!done) throw notFound("complaint", "id");
    if (done === "complaint_closed") {
      throw new ApiError(409, "complaint_closed", "the complaint is no longer open");
    }
    const complaint = adminComplaint(done.complaint);
    await publishAdmin(kv, [{ type: "complaint_updated", data: complaint }]);
    return c.json({ complaint, audit: done.audit });
  });

  return app;
}
