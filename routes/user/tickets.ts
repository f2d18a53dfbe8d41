import { Hono } from "hono";
import { createTicket, isTicketPurpose, TICKET_PURPOSES } from "../../kv/people/tickets.ts";
import { rateStep } from "../../kv/ratelimit.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest } from "../../services/core/errors.ts";
import { readJson, requireUser } from "../middleware.ts";

/**
 * `POST /api/v1/tickets {purpose}` → `{ticket, purpose, expires_at}`: a short-lived ticket for
 * the one URL of that purpose (kv/people/tickets.ts), made from the caller's bearer session.
 */
export function ticketRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));
  app.post("/", async (c) => {
    const uid = c.get("uid");
    const { purpose } = await readJson(c);
    if (!isTicketPurpose(purpose)) {
      throw badRequest(
        "invalid_purpose",
        `purpose must be one of ${Object.keys(TICKET_PURPOSES).join(", ")}`,
        "purpose",
      );
    }
    // Counted in the ticket's own write (one commit, shared with other writes: group commit).
    const rate = rateStep("tickets", uid, deps.cfg.rateLimits.tickets, "tickets");
    const t = await createTicket(deps.kv, c.get("token"), uid, purpose, rate);
    return c.json({ ticket: t.ticket, purpose, expires_at: new Date(t.expires_at).toISOString() });
  });
  return app;
}
