/**
 * Tickets: what goes into a URL where a browser cannot send the Authorization header (an
 * EventSource, an <img src>) of the widget; the admin page has its own cookie instead. A ticket serves one purpose, lives briefly, and stands for the
 * session it was made from: it is only as good as that session, so a log-out or a delete ends it
 * too. An event-stream ticket is spent on first use; an image ticket serves many <img> loads.
 */
import { randomToken } from "../../services/core/crypto.ts";
import { keys } from "../keys.ts";
import { getSession } from "./sessions.ts";

/** What a ticket may be used for, and for how long (ms). */
export const TICKET_PURPOSES = {
  /** `GET /api/v1/events`: one stream; the browser fetches a new ticket for every reconnect. */
  events: 60_000,
  /** `GET /api/v1/attachments/:id`: image loads of the widget and the admin page. */
  images: 10 * 60_000,
} as const;

export type TicketPurpose = keyof typeof TICKET_PURPOSES;

/** Purposes whose ticket is spent by its first use. */
const SINGLE_USE: ReadonlySet<TicketPurpose> = new Set(["events"]);

interface Ticket {
  purpose: TicketPurpose;
  /** The session token it stands for (never leaves the server). */
  token: string;
  user_id: string;
  expires_at: number;
}

export function isTicketPurpose(p: unknown): p is TicketPurpose {
  return typeof p === "string" && Object.hasOwn(TICKET_PURPOSES, p);
}

/** Issues a ticket for `purpose` standing for the session `token` of `uid`. */
export async function createTicket(
  kv: Deno.Kv,
  token: string,
  uid: string,
  purpose: TicketPurpose,
): Promise<{ ticket: string; expires_at: number }> {
  const ttl = TICKET_PURPOSES[purpose];
  const ticket = randomToken(24);
  const value: Ticket = { purpose, token, user_id: uid, expires_at: Date.now() + ttl };
  await kv.set(keys.ticket(ticket), value, { expireIn: ttl });
  return { ticket, expires_at: value.expires_at };
}

/**
 * The session behind `ticket` if it is live, for `purpose`, and its session still is; spends a
 * single-use ticket (two requests with one ticket: only one gets through).
 */
export async function redeemTicket(
  kv: Deno.Kv,
  ticket: string,
  purpose: TicketPurpose,
): Promise<{ token: string; uid: string } | null> {
  if (!ticket || ticket.length > 64) return null;
  const entry = await kv.get<Ticket>(keys.ticket(ticket));
  const t = entry.value;
  // Expiry is checked here: KV's expireIn deletes lazily.
  if (!t || t.purpose !== purpose || t.expires_at <= Date.now()) return null;
  if (SINGLE_USE.has(purpose)) {
    const spent = await kv.atomic().check(entry).delete(entry.key).commit();
    if (!spent.ok) return null;
  }
  const session = await getSession(kv, t.token);
  if (!session || session.user_id !== t.user_id) return null;
  return { token: t.token, uid: t.user_id };
}
