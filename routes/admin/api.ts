import { Hono } from "hono";
import { ADMIN_LOG, publishAdmin } from "../../kv/moderation/admin_feed.ts";
import { messageContext } from "../../kv/moderation/message_listings.ts";
import { activeDialogCounts } from "../../kv/moderation/stats.ts";
import { searchUsers } from "../../kv/moderation/user_search.ts";
import { listAudit } from "../../kv/moderation/audit.ts";
import { countComplaints } from "../../kv/moderation/complaints.ts";
import { keys } from "../../kv/keys.ts";
import { getManyChunked } from "../../kv/batch.ts";
import { deleteMessage } from "../../kv/moderation/actions.ts";
import { banActive, getBan } from "../../kv/moderation/bans.ts";
import { highlights } from "../../kv/moderation/message_search.ts";
import { publicProfile } from "../../kv/people/users.ts";
import { staffAmong, staffRoleNow } from "../../kv/people/roles.ts";
import { attachmentResponse } from "../user/attachments.ts";
import { hasImageGrant } from "../../kv/moderation/image_grants.ts";
import { requireAdminCaller } from "./session.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest, notFound } from "../../services/core/errors.ts";
import type { Ban } from "../../kv/moderation/bans.ts";
import { isUlid, isUserId, normaliseUserId, ulidTime } from "../../services/core/ids.ts";
import { adminComplaintRoutes } from "./complaints.ts";
import { whoMessages } from "./monitor_filter.ts";
import { userPanelRoutes } from "./user_panel.ts";
import {
  adminOnly,
  knownUser,
  noteField,
  profilesFor,
  requireStaff,
  ulidCursor,
  ulidParam,
  userQuery,
} from "./params.ts";
import { adminBanRoutes } from "./bans.ts";
import { actors } from "./listings.ts";
import { adminExportRoutes } from "./export.ts";
import { adminMessagesPage, auditFilter, messageQuery } from "./listings.ts";
import { logStream } from "../../services/realtime/log_stream.ts";
import { askedCursor, intQuery, optionalJson } from "../middleware.ts";

/** What a moderator's admin stream passes on: the queue's and bans' events, no messages. */
const MODERATOR_EVENTS = new Set(["complaint", "complaint_updated", "ban", "message_deleted"]);

/**
 * `/api/v1/admin`: everything the admin page reads and does. Every request re-checks that the
 * caller is an admin or a moderator (403 `not_admin`); what browses private dialogs is for
 * admins only (403 `moderator_not_allowed`); every listing is paged with `cursor` / `next_cursor`.
 */
export function adminRoutes(deps: Deps) {
  const { kv, cfg } = deps;
  const app = new Hono<AppEnv>();
  app.use("*", requireAdminCaller(deps), requireStaff(deps));

  // Live monitor: the admin event log (message, message_deleted, complaint, complaint_updated,
  // ban) with the same replay semantics as a user's stream. A moderator's stream leaves out
  // messages and edits (they do not browse dialogs). A signed-out session or a changed role
  // ends it at once (the session epoch); the page reconnects with what the new role sees.
  app.get("/events", (c) => {
    const role = c.get("role");
    return logStream(deps, ADMIN_LOG, askedCursor(c), {
      readyData: { log: "admin" },
      token: c.get("token"),
      owner: c.get("uid"),
      allowed: async () => (await staffRoleNow(kv, cfg, c.get("uid"))) === role,
      only: role === "admin" ? undefined : (e) => MODERATOR_EVENTS.has(e.type),
    });
  });

  // Images for the admin page (the cookie reaches only /api/v1/admin): admins may see any; a
  // moderator only those a complaint's view just showed them (kv/moderation/image_grants.ts),
  // anything else is 403 moderator_not_allowed, as the whole route was for them before.
  app.get("/attachments/:id", async (c, next) => {
    if (c.get("role") === "admin") return await next();
    const id = c.req.param("id");
    if (isUlid(id) && await hasImageGrant(kv, c.get("uid"), id)) return await next();
    return await adminOnly(c, next);
  }, (c) => attachmentResponse(c, deps, () => true));

  app.get("/stats", async (c) => {
    const [dialogs, open] = await Promise.all([
      activeDialogCounts(kv),
      countComplaints(kv, "open"),
    ]);
    return c.json({ dialogs, complaints: { open }, at: new Date().toISOString() });
  });

  // With `q`: a text search (folded, paged scan; a page may be short and still go on), each
  // message with `highlights {matched, filtered}` offsets into its original text.
  app.get("/messages", adminOnly, async (c) => {
    const who = (c.req.query("who") ?? "").trim().slice(0, 100);
    if (who) return c.json(await whoMessages(deps, c, who));
    const query = messageQuery(c);
    const page = await adminMessagesPage(kv, query);
    const ids = page.messages.flatMap((m) => [m.from, m.to]);
    const messages = query.q
      ? page.messages.map((m) => ({ ...m, highlights: highlights(m, query.q!, cfg.filters) }))
      : page.messages;
    return c.json({ ...page, messages, users: await profilesFor(deps, ids) });
  });

  app.get("/messages/:id", adminOnly, async (c) => {
    const around = intQuery(c, "around", 5, 0, 50);
    const found = await messageContext(kv, ulidParam(c, "id"), around);
    if (!found) throw notFound("message", "id");
    const users = await profilesFor(deps, [found.message.from, found.message.to]);
    return c.json({ ...found, users });
  });

  app.delete("/messages/:id", async (c) => {
    const id = ulidParam(c, "id");
    const note = noteField(await optionalJson(c), "note");
    const done = await deleteMessage(kv, id, c.get("uid"), note);
    if (!done) throw notFound("message", "id");
    const { from, to } = done.message;
    await publishAdmin(kv, [{ type: "message_deleted", data: { id, from, to, by: c.get("uid") } }]);
    return c.json({ deleted: { id, from, to }, audit: done.audit });
  });

  app.get("/users", async (c) => {
    const cursor = userQuery(c, "cursor");
    const q = (c.req.query("q") ?? "").slice(0, 100);
    const page = await searchUsers(kv, { q, cursor, limit: intQuery(c, "limit", 30, 1, 100) });
    // An exact id the indexes do not hold yet (a user who never chatted, profiles only at the
    // host): asked of the host, first page only.
    const exact = q.trim();
    if (!cursor && isUserId(exact) && !page.users.some((u) => u.profile.user_id === exact)) {
      const found = await knownUser(deps, exact).catch(() => null);
      if (found) page.users.unshift({ profile: found, last_active: null });
    }
    const ids = page.users.map((u) => u.profile.user_id);
    const [bans, staff] = await Promise.all([
      getManyChunked<Ban>(kv, ids.map((id) => keys.ban(id))),
      staffAmong(kv, cfg, ids),
    ]);
    return c.json({
      users: page.users.map((u, i) => ({
        user: publicProfile(u.profile),
        is_admin: staff.get(u.profile.user_id) === "admin",
        role: staff.get(u.profile.user_id) ?? null,
        banned: banActive(bans[i].value),
        last_active: u.last_active,
      })),
      next_cursor: page.next_cursor,
      // How many users this request looked at: the page says how far a search has got.
      scanned: page.scanned,
    });
  });

  // Names for ids the page met live (the monitor's events carry ids only).
  app.get("/profiles", async (c) => {
    const ids = (c.req.query("ids") ?? "").split(",").filter(Boolean);
    if (ids.length > 100) throw badRequest("too_many_ids", "at most 100 ids", "ids");
    return c.json({ users: await profilesFor(deps, ids.map((id) => normaliseUserId(id, "ids"))) });
  });

  app.get("/users/:uid", async (c) => {
    const uid = normaliseUserId(c.req.param("uid"), "uid");
    const [profile, ban, seen, role] = await Promise.all([
      knownUser(deps, uid),
      getBan(kv, uid),
      // Last active: their last sent message (receiving is not activity).
      kv.get<string>(keys.adminSentBy(uid)),
      staffRoleNow(kv, cfg, uid),
    ]);
    return c.json({
      user: { ...publicProfile(profile), error: profile.error },
      is_admin: role === "admin",
      role,
      ban,
      last_active: seen.value ? new Date(ulidTime(seen.value)).toISOString() : null,
      // The server's clock: the card reads the user again when a ban for a time ends.
      now: new Date().toISOString(),
    });
  });

  // The audit log quotes deleted messages and is how admins oversee moderators: admins only.
  app.get("/audit", adminOnly, async (c) => {
    const page = await listAudit(kv, {
      ...auditFilter(c),
      cursor: ulidCursor(c),
      limit: intQuery(c, "limit", 50, 1, 200),
    });
    return c.json({ ...page, users: await profilesFor(deps, actors(page.audit)) });
  });

  app.route("/bans", adminBanRoutes(deps));
  app.route("/complaints", adminComplaintRoutes(deps));
  app.route("/export", adminExportRoutes(deps));
  app.route("/users", userPanelRoutes(deps));
  return app;
}
