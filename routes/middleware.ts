import type { Context, MiddlewareHandler } from "hono";
import { redeemTicket, type TicketPurpose } from "../kv/people/tickets.ts";
import type { AppEnv, Deps } from "../services/core/context.ts";
import { badRequest, unauthorized } from "../services/core/errors.ts";

/**
 * The caller's session, from `Authorization: Bearer <token>` only: a session token never rides
 * in a URL (URLs end up in logs, histories and Referer headers). Routes a browser reaches
 * without headers (EventSource, <img>) name the one ticket purpose they also take as
 * `?ticket=` on GET (kv/people/tickets.ts).
 */
export function requireUser(deps: Deps, ticket?: TicketPurpose): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    const asked = ticket && c.req.method === "GET" && !token ? c.req.query("ticket") : undefined;
    if (asked !== undefined) {
      const found = await redeemTicket(deps.kv, asked, ticket!);
      if (!found) throw unauthorized("ticket expired, spent or unknown; ask for a new one");
      c.set("uid", found.uid);
      c.set("token", found.token);
      c.set("session", found.session);
      return await next();
    }
    if (!token) {
      throw unauthorized(
        ticket
          ? `send Authorization: Bearer <token>, or ?ticket= from POST /api/v1/tickets`
          : "send Authorization: Bearer <token>",
      );
    }
    // From memory for users with a stream open here (their revocations wake the bus at once).
    const session = await deps.bus.session(deps.kv, token);
    if (!session) throw unauthorized("session expired or unknown; sign in again");
    c.set("uid", session.user_id);
    c.set("token", token);
    c.set("session", session);
    await next();
  };
}

/** The request's JSON object body, or a 400 naming what is wrong with it. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (type && !type.includes("json")) {
    throw badRequest("unsupported_content_type", "send the body as application/json");
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw badRequest("invalid_json", "the body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("invalid_json", "the body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** The JSON body if there is one ({} when the body is empty: DELETE with no note). */
export async function optionalJson(c: Context): Promise<Record<string, unknown>> {
  // Hono caches the body, so readJson can read it again.
  if (!(await c.req.text()).trim()) return {};
  return await readJson(c);
}

/** A whole-number query parameter within bounds, or its default. */
export function intQuery(c: Context, name: string, def: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badRequest("invalid_query", `${name} must be a whole number from ${min} to ${max}`, name);
  }
  return n;
}

function parseCursor(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw badRequest("invalid_last_event_id", "Last-Event-ID must be an event id", "last_event_id");
  }
  return n;
}

/** The Last-Event-ID a client sent (header, or `?last_event_id=`), validated. */
export function askedCursor(c: Context): number | undefined {
  return parseCursor(c.req.header("last-event-id") ?? c.req.query("last_event_id"));
}
