import { Hono } from "hono";
import { ADMIN_LOG, publishAdmin } from "../kv/admin_log.ts";
import { assertCanBlock, setBlock } from "../kv/contacts.ts";
import { setBan } from "../kv/moderation.ts";
import { getProfiles } from "../kv/users.ts";
import { isAdmin } from "../services/auth.ts";
import type { AppEnv, Deps } from "../services/context.ts";
import { badRequest, forbidden } from "../services/errors.ts";
import { normaliseUserId, SYSTEM_USER } from "../services/ids.ts";

/** The site's own name in the audit log for actions it takes through the manage API. */
export const MANAGE_ACTOR = "manage_api";

/** An optional JSON body (a DELETE may have none); a 400 if present but not an object. */
async function optionalBody(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (!text.trim()) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest("invalid_json", "the body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("invalid_json", "the body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

function reasonOf(body: Record<string, unknown>): string {
  const r = body.reason ?? "";
  if (typeof r !== "string" || r.length > 500) {
    throw badRequest(
      "invalid_reason",
      "reason must be a string of at most 500 characters",
      "reason",
    );
  }
  return r.trim();
}

function userParam(raw: string): string {
  const id = normaliseUserId(raw, "id");
  if (id === SYSTEM_USER) {
    throw badRequest("reserved_user_id", `"${SYSTEM_USER}" is the reserved system sender`, "id");
  }
  return id;
}

/**
 * Moderation on the site's behalf (mounted under `/api/v1/manage`, behind its guard): ban and
 * unban (written to the same audit log as the admin page's actions), block and unblock.
 */
export function manageModerationRoutes(deps: Deps) {
  const { kv, cfg, bus } = deps;
  const app = new Hono<AppEnv>();

  app.put("/users/:id/ban", async (c) => {
    const uid = userParam(c.req.param("id"));
    if (isAdmin(cfg, uid)) throw forbidden("cannot_ban_admin", "admins cannot be banned");
    const reason = reasonOf(await optionalBody(c.req.raw));
    const { ban, audit } = await setBan(kv, uid, true, MANAGE_ACTOR, reason);
    await publishAdmin(kv, [{ type: "ban", data: { user_id: uid, banned: true, ban } }]);
    bus.notify([ADMIN_LOG]);
    return c.json({ user_id: uid, banned: true, ban, audit });
  });

  app.delete("/users/:id/ban", async (c) => {
    const uid = userParam(c.req.param("id"));
    const { audit } = await setBan(kv, uid, false, MANAGE_ACTOR);
    await publishAdmin(kv, [{ type: "ban", data: { user_id: uid, banned: false, ban: null } }]);
    bus.notify([ADMIN_LOG]);
    return c.json({ user_id: uid, banned: false, audit });
  });

  // Block / unblock on a user's behalf: `:id` stops (or again accepts) messages from `:peer`.
  const block = (on: boolean) => async (c: import("hono").Context<AppEnv>) => {
    const uid = userParam(c.req.param("id") ?? "");
    const peer = normaliseUserId(c.req.param("peer"), "peer");
    if (peer === uid) throw badRequest("self_dialog", "a user cannot block themselves", "peer");
    if (on) assertCanBlock(cfg, peer);
    if (on) await getProfiles(kv, cfg, [peer]);
    const flags = await setBlock(kv, uid, peer, on);
    if (flags.changed) bus.notify([uid]);
    return c.json({ user_id: uid, peer, blocked: flags.blocked });
  };
  app.put("/users/:id/blocks/:peer", block(true));
  app.delete("/users/:id/blocks/:peer", block(false));

  return app;
}
