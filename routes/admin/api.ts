import { Hono } from "hono";
import { ADMIN_LOG, publishAdmin } from "../../kv/moderation/admin_feed.ts";
import { listAdminMessages, messageContext } from "../../kv/moderation/message_listings.ts";
import { activeDialogCounts } from "../../kv/moderation/stats.ts";
import { searchUsers } from "../../kv/moderation/user_search.ts";
import { listAudit } from "../../kv/moderation/audit.ts";
import { countComplaints } from "../../kv/moderation/complaints.ts";
import { keys } from "../../kv/keys.ts";
import { getManyChunked } from "../../kv/batch.ts";
import { banUser, deleteMessage, getBan, listBans } from "../../kv/moderation/actions.ts";
import { publicProfile } from "../../kv/people/users.ts";
import { adminsAmong, isAdminNow } from "../../kv/people/roles.ts";
import { attachmentResponse } from "../user/attachments.ts";
import { requireAdminCaller } from "./session.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest, notFound } from "../../services/core/errors.ts";
import { isUserId, normaliseUserId, ulidTime } from "../../services/core/ids.ts";
import { adminComplaintRoutes } from "./complaints.ts";
import {
  knownUser,
  noteField,
  profilesFor,
  requireAdmin,
  timeQuery,
  ulidCursor,
  ulidParam,
  userQuery,
} from "./params.ts";
import { logStream } from "../../services/realtime/log_stream.ts";
import { askedCursor, intQuery, optionalJson } from "../middleware.ts";

/**
 * `/api/v1/admin`: everything the admin page reads and does. Every request re-checks that the
 * caller is an admin (403 `not_admin`); every listing is paged with `cursor` / `next_cursor`.
 */
export function adminRoutes(deps: Deps) {
  const { kv, cfg, bus } = deps;
  const app = new Hono<AppEnv>();
  app.use("*", requireAdminCaller(deps), requireAdmin(deps));

  // Live monitor: the admin event log (message, message_deleted, complaint, complaint_updated,
  // ban) with the same replay semantics as a user's stream.
  // A signed-out session or withdrawn admin rights end it at once (the session epoch).
  app.get("/events", (c) =>
    logStream(deps, ADMIN_LOG, askedCursor(c), {
      readyData: { log: "admin" },
      token: c.get("token"),
      owner: c.get("uid"),
      allowed: () => isAdminNow(kv, cfg, c.get("uid")),
    }));

  // Images for the admin page (the cookie reaches only /api/v1/admin; admins may see any).
  app.get("/attachments/:id", (c) => attachmentResponse(c, deps, () => true));

  app.get("/stats", async (c) => {
    const [dialogs, open] = await Promise.all([
      activeDialogCounts(kv),
      countComplaints(kv, "open"),
    ]);
    return c.json({ dialogs, complaints: { open }, at: new Date().toISOString() });
  });

  app.get("/messages", async (c) => {
    const user = userQuery(c, "user");
    const peer = userQuery(c, "peer");
    if (peer && !user) throw badRequest("peer_needs_user", "peer is given only with user", "peer");
    if (peer && peer === user) {
      throw badRequest("self_dialog", "peer must differ from user", "peer");
    }
    const from = timeQuery(c, "from");
    const to = timeQuery(c, "to");
    if (from !== undefined && to !== undefined && from >= to) {
      throw badRequest("invalid_range", "from must be before to", "to");
    }
    const attachments = c.req.query("attachments");
    if (attachments && attachments !== "1" && attachments !== "0") {
      throw badRequest("invalid_query", "attachments must be 1 or 0", "attachments");
    }
    const page = await listAdminMessages(kv, {
      user,
      peer,
      from,
      to,
      attachments: attachments === "1",
      cursor: ulidCursor(c),
      limit: intQuery(c, "limit", 50, 1, 200),
    });
    const ids = page.messages.flatMap((m) => [m.from, m.to]);
    return c.json({ ...page, users: await profilesFor(deps, ids) });
  });

  app.get("/messages/:id", async (c) => {
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
    bus.notify([from, to]);
    await publishAdmin(kv, [{ type: "message_deleted", data: { id, from, to, by: c.get("uid") } }]);
    bus.notify([ADMIN_LOG]);
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
    const [bans, admins] = await Promise.all([
      getManyChunked(kv, ids.map((id) => keys.ban(id))),
      adminsAmong(kv, cfg, ids),
    ]);
    return c.json({
      users: page.users.map((u, i) => ({
        user: publicProfile(u.profile),
        is_admin: admins.has(u.profile.user_id),
        banned: bans[i].value !== null,
        last_active: u.last_active,
      })),
      next_cursor: page.next_cursor,
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
    const [profile, ban, seen, admin] = await Promise.all([
      knownUser(deps, uid),
      getBan(kv, uid),
      kv.get<string>(keys.adminSeenUser(uid)),
      isAdminNow(kv, cfg, uid),
    ]);
    return c.json({
      user: { ...publicProfile(profile), error: profile.error },
      is_admin: admin,
      ban,
      last_active: seen.value ? new Date(ulidTime(seen.value)).toISOString() : null,
    });
  });

  app.get("/bans", async (c) => {
    const cursor = userQuery(c, "cursor");
    const page = await listBans(kv, { cursor, limit: intQuery(c, "limit", 50, 1, 200) });
    return c.json({ ...page, users: await profilesFor(deps, page.bans.map((b) => b.user_id)) });
  });

  app.put("/bans/:uid", async (c) => {
    const uid = normaliseUserId(c.req.param("uid"), "uid");
    // An admin gets 403 cannot_ban_admin from banUser; anyone else must exist.
    if (!await isAdminNow(kv, cfg, uid)) await knownUser(deps, uid);
    const reason = noteField(await optionalJson(c), "reason", 500);
    const { ban, audit } = await banUser(deps, uid, true, c.get("uid"), reason);
    return c.json({ banned: true, ban, audit });
  });

  app.delete("/bans/:uid", async (c) => {
    const uid = normaliseUserId(c.req.param("uid"), "uid");
    const { audit } = await banUser(deps, uid, false, c.get("uid"));
    return c.json({ banned: false, ban: null, audit });
  });

  app.get("/audit", async (c) => {
    const page = await listAudit(kv, {
      cursor: ulidCursor(c),
      limit: intQuery(c, "limit", 50, 1, 200),
    });
    return c.json(page);
  });

  app.route("/complaints", adminComplaintRoutes(deps));
  return app;
}
