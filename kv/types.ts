/** Shapes stored in KV and returned by the API. Times are ISO-8601 strings. */
import type { HostUser } from "../services/host/callbacks.ts";

/** A host user as cached. `error` non-empty: may read but not send (shown as a banner). */
export interface UserProfile extends HostUser {
  /** Where the profile came from: the host callback, the manage API, or a bare placeholder. */
  source: "host" | "api" | "none";
  fetched_at: string;
  /** On a placeholder only: the host's callback answered without this id (it has no such user). */
  unknown?: true;
}

export interface Attachment {
  id: string;
  type: string;
  width: number;
  height: number;
  size: number;
  /** A small preview stored with it (kv/media/thumbnails.ts), if the sender sent one. */
  thumb?: { type: string; width: number; height: number; size: number };
}

export interface Message {
  id: string;
  from: string;
  to: string;
  text: string;
  created_at: string;
  read_at: string | null;
  /** "system" messages come from the site (manage API); the widget shows no reply box for them. */
  kind?: "user" | "system";
  attachment?: Attachment;
  /** When the sender last edited the text (kv/messaging/edits.ts). */
  edited_at?: string;
  /** The message this one answers, as it was when this one was sent (kv/messaging/replies.ts). */
  reply_to?: ReplyRef;
}

/**
 * A quoted message: its id and author, and a short snippet of its (already filtered) text
 * captured at send time. Lists mark it `deleted` (and drop the snippet) once the original is gone.
 */
export interface ReplyRef {
  id: string;
  from: string;
  text: string;
  has_attachment?: true;
  deleted?: true;
}

/** An earlier text of an edited message, kept on the stored message for admins only. */
export interface EditRecord {
  text: string;
  /** When this text was replaced. */
  replaced_at: string;
}

export interface MessageRef {
  lo: string;
  hi: string;
}

/** Last message as the dialog list shows it. */
export interface MessagePreview {
  id: string;
  from: string;
  text: string;
  created_at: string;
  read_at: string | null;
  has_attachment: boolean;
}

/** One user's side of a dialog. */
export interface DialogState {
  peer: string;
  last_message: MessagePreview | null;
  /** Id used in the activity index (the last message's id); null before the first message. */
  last_id: string | null;
  unread: number;
  /** Newest message from the peer that this user has read. */
  read_up_to: string | null;
  created_at: string;
}

export interface Session {
  user_id: string;
  expires_at: number;
  /** "admin": the admin page's cookie session (kv/people/sessions.ts); absent: a bearer token. */
  kind?: "admin";
  /** Admin cookie sessions: the value every write must echo in `X-Parley-CSRF`. */
  csrf?: string;
}

/** A one-time admin sign-in code (keyed by its SHA-256): who it signs in, until when. */
export interface AdminSignInCode {
  user_id: string;
  expires_at: number;
}

/** The typed union of everything an SSE stream carries. */
export type ParleyEvent =
  | { type: "message"; data: Message }
  | { type: "read"; data: { reader: string; peer: string; up_to: string; read_at: string } }
  | { type: "typing"; data: { from: string; to: string; expires_at: string } }
  | { type: "presence"; data: { user_id: string; online: boolean; last_seen: string | null } }
  | { type: "contact"; data: { peer: string; favourite: boolean; blocked: boolean } }
  | { type: string; data: unknown };

export interface StoredEvent {
  seq: number;
  type: string;
  data: unknown;
}
