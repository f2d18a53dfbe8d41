/**
 * Idempotent sends: the widget gives each message it sends a `client_id`, and sends it again
 * with the same id after a timeout or a dropped connection. The first send stores
 * `keys.sendId(uid, client_id)` → message id in its own atomic (checked absent there, so two
 * concurrent copies cannot both commit); any later copy finds it and is answered with the stored
 * message instead of storing a second one.
 */
import { ApiError, badRequest } from "../../services/core/errors.ts";
import { keys } from "../keys.ts";
import type { SendGuard } from "../moderation/send_guard.ts";
import type { Message } from "../types.ts";
import { getMessageById, publicMessage } from "./messages.ts";

/** How long a client id is remembered: longer than any outbox keeps retrying. */
export const SEND_ID_TTL_MS = 24 * 3600_000;

/** A client id: 8 to 64 letters, digits, "-" or "_" (the widget sends a random UUID). */
export function validClientId(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(raw)) {
    throw badRequest(
      "invalid_client_id",
      "client_id must be 8-64 letters, digits, - or _",
      "client_id",
    );
  }
  return raw;
}

/** Thrown (inside the send's atomic or before it) when `client_id` was already used. */
export class AlreadySent extends Error {
  constructor(readonly messageId: string) {
    super("already sent");
  }
}

/**
 * The send guard of a client id: throws AlreadySent when it names a stored send, otherwise
 * returns its (absent) entry so the send's atomic checks it. One check.
 */
export function sendIdGuard(uid: string, clientId: string): SendGuard {
  return async (kv) => {
    const entry = await kv.get<string>(keys.sendId(uid, clientId));
    if (entry.value) throw new AlreadySent(entry.value);
    return [entry];
  };
}

/** The send's `also` hook that remembers the client id with the new message's id. */
export function rememberSendId(uid: string, clientId: string) {
  return (op: Deno.AtomicOperation, msg: { id: string }) => {
    op.set(keys.sendId(uid, clientId), msg.id, { expireIn: SEND_ID_TTL_MS });
  };
}

/**
 * The message a repeated send stored before, as its answer. 409 `client_id_used` when that
 * message is gone (deleted since) or went elsewhere: the client must not think it was sent now.
 */
export async function sentBefore(
  kv: Deno.Kv,
  uid: string,
  peer: string,
  id: string,
): Promise<Message> {
  const m = await getMessageById(kv, id);
  if (!m || m.from !== uid || m.to !== peer) {
    throw new ApiError(
      409,
      "client_id_used",
      "this client_id belongs to another or a deleted message",
      "client_id",
    );
  }
  return publicMessage(m);
}
