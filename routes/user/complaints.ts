import { Hono } from "hono";
import { onComplaintCreated } from "../../services/webhooks/events.ts";
import {
  COMPLAINT_REASONS,
  type ComplaintReason,
  createComplaint,
  MAX_COMPLAINT_TEXT,
  publicComplaint,
} from "../../kv/moderation/complaints.ts";
import { enforceRate } from "../../kv/ratelimit.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest } from "../../services/core/errors.ts";
import { isUlid, normaliseUserId } from "../../services/core/ids.ts";
import { readJson, requireUser } from "../middleware.ts";

function reasonOf(raw: unknown): ComplaintReason {
  if (!COMPLAINT_REASONS.includes(raw as ComplaintReason)) {
    throw badRequest(
      "invalid_reason",
      `reason must be one of ${COMPLAINT_REASONS.join(", ")}`,
      "reason",
    );
  }
  return raw as ComplaintReason;
}

function textOf(raw: unknown): string {
  if (raw === undefined || raw === null) return "";
  if (typeof raw !== "string") throw badRequest("invalid_text", "text must be a string", "text");
  const text = raw.trim();
  if ([...text].length > MAX_COMPLAINT_TEXT) {
    throw badRequest(
      "text_too_long",
      `text must be at most ${MAX_COMPLAINT_TEXT} characters`,
      "text",
    );
  }
  return text;
}

/**
 * `POST /api/v1/complaints {user_id, message_id?, reason, text?}` → 201 `{complaint}`.
 * 400 for yourself or bad fields, 404 when the message is not in your dialog with that user,
 * 409 complaint_exists while an identical complaint is open, 429 over the complaint limit.
 */
export function complaintRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));
  app.post("/", async (c) => {
    const uid = c.get("uid");
    const body = await readJson(c);
    const target = normaliseUserId(body.user_id, "user_id");
    if (target === uid) throw badRequest("self_complaint", "you cannot report yourself", "user_id");
    const messageId = body.message_id ?? null;
    if (messageId !== null && !isUlid(messageId)) {
      throw badRequest("invalid_message_id", "message_id must be a message id", "message_id");
    }
    const reason = reasonOf(body.reason);
    const text = textOf(body.text);
    await enforceRate(deps.kv, "complaints", uid, deps.cfg.rateLimits.complaints);
    const complaint = await createComplaint(deps.kv, {
      reporter: uid,
      target,
      message_id: messageId,
      reason,
      text,
    }, onComplaintCreated(deps.cfg));
    return c.json({ complaint: publicComplaint(complaint) }, 201);
  });
  return app;
}
