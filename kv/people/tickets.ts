/**
 * Tickets: what goes into a URL where a browser cannot send the Authorization header (an
 * EventSource, an <img src>) of the widget; the admin page has its own cookie instead. A ticket serves one purpose, lives briefly, and stands for the
 * session it was made from: it is only as good as that session, so a log-out or a delete ends it
 * too. An event-stream ticket is spent on first use; an image ticket serves many <img> loads.
 */
import { randomToken } from "../../services/core/crypto.ts";
import { commitGrouped } from "../group_commit.ts";
import { keys } from "../keys.ts";
import type { RateStep } from "../ratelimit.ts";
import { getSession } from "./sessions.ts";
import type { Session } from "../types.ts";

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

/** Names a ticket as a group commit owner (user ids never start with a space). */
const owner = (ticket: string) => ` ticket:${ticket}`;

/**
 * Issues a ticket for `purpose` standing for the session `token` of `uid`, counted against
 * `rate` (429 when full) in the same write. The write goes through group commit: a burst of
 * reconnecting streams (a network blip, a restart) shares commits with the sends instead of
 * costing the serial SQLite writer two fsyncs per stream.
 */
export async function createTicket(
  kv: Deno.Kv,
  token: string,
  uid: string,
  purpose: TicketPurpose,
  rate?: RateStep,
): Promise<{ ticket: string; expires_at: number }> {
  const ttl = TICKET_PURPOSES[purpose];
  const ticket = randomToken(24);
  const value: Ticket = { purpose, token, user_id: uid, expires_at: Date.now() + ttl };
  await commitGrouped(kv, [uid], async (op) => {
    const counted = await rate?.(kv);
    counted?.(op);
    op.set(keys.ticket(ticket), value, { expireIn: ttl });
    return true;
  }, { background: true });
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
): Promise<{ token: string; uid: string; session: Session } | null> {
  if (!ticket || ticket.length > 64) return null;
  // Expiry is checked here: KV's expireIn deletes lazily.
  const usable = (t: Ticket | null): t is Ticket =>
    !!t && t.purpose === purpose && t.expires_at > Date.now();
  let t: Ticket | null;
  if (SINGLE_USE.has(purpose)) {
    // Spent in a checked write (group commit, like its creation): of two uses, the second reads
    // it gone, here or on another instance (the check fails, the write reads again).
    t = await commitGrouped(kv, [owner(ticket)], async (op) => {
      const entry = await kv.get<Ticket>(keys.ticket(ticket));
      if (!usable(entry.value)) return null;
      op.check(entry).delete(entry.key);
      return entry.value;
    }, { background: true });
  } else t = (await kv.get<Ticket>(keys.ticket(ticket))).value;
  if (!usable(t)) return null;
  const session = await getSession(kv, t.token);
  if (!session || session.user_id !== t.user_id) return null;
  return { token: t.token, uid: t.user_id, session };
}
