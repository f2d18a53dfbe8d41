import { Hono } from "hono";
import { eraseUser, exportUser } from "../../kv/privacy/erase.ts";
import { publish } from "../../kv/messaging/events.ts";
import { keys } from "../../kv/keys.ts";
import { sendMessage, unreadSummary } from "../../kv/messaging/messages.ts";
import { presenceOf } from "../../kv/people/presence.ts";
import { sweepRetention } from "../../kv/privacy/retention.ts";
import { getMaintenanceStatus } from "../../kv/maintenance.ts";
import { revokeSessions } from "../../kv/people/sessions.ts";
import { upsertProfile } from "../../kv/people/users.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { sha256Hex } from "../../services/core/crypto.ts";
import { badRequest } from "../../services/core/errors.ts";
import { SYSTEM_USER } from "../../services/core/ids.ts";
import { parseProfileInput } from "../../services/host/profile_input.ts";
import { type DeliveryLog, listDeliveries, onMessageSent } from "../../services/webhooks/events.ts";
import { validText } from "../user/dialogs.ts";
import { requireManager, userParam } from "./guard.ts";
import { manageAdminRoutes } from "./admins.ts";
import { manageModerationRoutes } from "./moderation.ts";
import { intQuery, readJson } from "../middleware.ts";

const LOG_STATES = new Set(["delivered", "retrying", "failed"]);

/**
 * `/api/v1/manage`: server-to-server calls from the host site (requireManager: trusted IP and
 * API secret). Block/unblock and ban/unban on a user's behalf are wired in by their features.
 */
export function manageRoutes(deps: Deps) {
  const { kv, cfg, bus } = deps;
  const app = new Hono<AppEnv>();
  app.use("*", requireManager(deps));
  app.route("/", manageModerationRoutes(deps));
  app.route("/", manageAdminRoutes(deps));

  // The original's "log in": register the user's key, so the chat stops asking the site.
  app.post("/users/:id/login", async (c) => {
    const uid = userParam(c.req.param("id"));
    const body = await readJson(c);
    const key = body.user_key;
    if (typeof key !== "string" || !key.trim() || key.length > 512) {
      throw badRequest(
        "invalid_user_key",
        "user_key must be a string of 1-512 characters",
        "user_key",
      );
    }
    await kv.set(keys.userKey(uid), await sha256Hex(key));
    return c.json({ user_id: uid, logged_in: true });
  });

  // The original's "log out": forget the key, revoke every session, end open streams.
  app.post("/users/:id/logout", async (c) => {
    const uid = userParam(c.req.param("id"));
    await kv.atomic().delete(keys.userKey(uid)).delete(keys.hostHash(uid)).commit();
    const revoked = await revokeSessions(kv, uid);
    // The epoch revokeSessions bumped wakes every stream of theirs (the admin monitor's too), on
    // every instance; each finds its session gone and ends. The reset makes a later sign-in's
    // client refetch.
    bus.revoked(uid);
    await publish(kv, [{ uid, type: "reset", data: { reason: "signed_out" } }]);
    return c.json({ user_id: uid, logged_in: false, sessions_revoked: revoked });
  });

  app.put("/users/:id", async (c) => {
    const uid = userParam(c.req.param("id"), true);
    const input = parseProfileInput(uid, await readJson(c));
    return c.json({ user: await upsertProfile(kv, input) });
  });

  app.delete("/users/:id", async (c) => {
    const uid = userParam(c.req.param("id"));
    const { keys: count } = await eraseUser(kv, uid);
    bus.revoked(uid);
    return c.json({ user_id: uid, deleted: true, keys_deleted: count });
  });

  app.post("/users/:id/system-message", async (c) => {
    const uid = userParam(c.req.param("id"));
    const body = await readJson(c);
    const text = validText(body.text);
    const message = await sendMessage(kv, {
      from: SYSTEM_USER,
      to: uid,
      text,
      kind: "system",
      also: onMessageSent(cfg),
    });
    return c.json({ message }, 201);
  });

  app.get("/users/:id/export", async (c) => {
    const uid = userParam(c.req.param("id"));
    return c.json(await exportUser(kv, uid));
  });

  app.get("/users/:id/unread", async (c) => {
    const uid = userParam(c.req.param("id"));
    return c.json(await unreadSummary(kv, uid));
  });

  // Whether the user has the widget open anywhere (for "e-mail them if offline").
  app.get("/users/:id/presence", async (c) => {
    const uid = userParam(c.req.param("id"));
    return c.json({ user_id: uid, ...(await presenceOf(kv, [uid])).get(uid)! });
  });

  app.get("/webhooks/log", async (c) => {
    const limit = intQuery(c, "limit", 50, 1, 500);
    const cursor = c.req.query("cursor") || undefined;
    if (cursor !== undefined && !/^[0-9A-Z]{26}$/.test(cursor)) {
      throw badRequest("invalid_cursor", "cursor is not one this API returned", "cursor");
    }
    const state = c.req.query("state") || undefined;
    if (state !== undefined && !LOG_STATES.has(state)) {
      throw badRequest("invalid_state", "state must be delivered, retrying or failed", "state");
    }
    const page = await listDeliveries(kv, {
      limit,
      cursor,
      state: state as DeliveryLog["state"] | undefined,
    });
    return c.json({ webhook_url: cfg.webhookUrl ?? null, ...page });
  });

  // The hourly clean-up's last run and last error (a job that keeps failing shows here).
  app.get("/maintenance", async (c) => {
    return c.json({
      retention_days: cfg.retentionDays ?? null,
      ...await getMaintenanceStatus(kv),
    });
  });

  // Runs retention now (it also runs hourly by itself where Deno.cron exists).
  app.post("/retention/sweep", async (c) => {
    if (!cfg.retentionDays) {
      throw badRequest("retention_off", "set PARLEY_RETENTION_DAYS to enable retention");
    }
    return c.json({
      retention_days: cfg.retentionDays,
      ...await sweepRetention(kv, cfg, new Date()),
    });
  });

  return app;
}
