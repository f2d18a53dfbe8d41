/** Shapes the widget reads from the API; messages share the server's own definition. */
import type { Attachment, Message, MessagePreview } from "../../kv/types.ts";

export type { Attachment, Message, MessagePreview };

/** A user's public profile as the API returns it (host data: always rendered as text). */
export interface Profile {
  user_id: string;
  name: string;
  login: string;
  avatar_url: string | null;
  /** The host's relative avatar path as written (the original prefixed `user_avatar_url_tpl`). */
  avatar_path?: string;
  city?: string;
  age?: number | null;
  status?: string;
}

/** The signed-in user, from `POST /api/v1/session`. */
export interface Me extends Profile {
  is_admin: boolean;
  read_only: boolean;
  error: string;
  /** Banned by a moderator (read_only may also come from the host). */
  banned?: boolean;
  /** When a time-limited ban ends (null: until lifted, or not banned). */
  ban_until?: string | null;
}

/** What the widget knows about another user: profile, presence and the user's own marks. */
export interface Person {
  user?: Profile;
  online?: boolean;
  last_seen?: string | null;
  favourite?: boolean;
  blocked?: boolean;
  /** The host has no such user (the server refuses messages to them). */
  unknown?: boolean;
}

/** A dialog-list or contacts item as the API returns it. */
export interface DialogItem extends Person {
  peer?: string;
  user: Profile;
  last_message: MessagePreview | null;
  unread: number;
}

/** The last message as the dialog list shows it (a preview or a whole message). */
export type Last = Pick<Message, "id" | "from" | "text" | "created_at" | "read_at">;

/** One row of the dialog list. */
export interface Row {
  peer: string;
  last: Last | null;
}

/** The loaded part of one dialog's history, oldest first. */
export interface Thread {
  msgs: Message[];
  /** Older messages exist on the server. */
  more: boolean;
  busy: boolean;
  loaded: boolean;
}

/** `GET /api/v1/features`, plus what the widget learned by probing endpoints. */
export interface Features {
  translate: boolean;
  languages: string[];
  max_image_bytes: number;
  max_text: number;
  upload: boolean;
  contacts: boolean;
  marks: boolean;
  report: boolean;
  typing: boolean;
  /** How long after sending a user may edit or delete a message (0: never). */
  edit_window_seconds?: number;
}

/** A translation target: a code, or the original's `{name, textName}` (textName: its label). */
export type LangOption = string | { name: string; textName?: unknown };

/** The options of `Parley.init` (the original's, plus `lang` and `launcher`). */
export interface InitOptions {
  user_id: string | number;
  user_key: string;
  open?: boolean;
  lang?: string;
  /** Show the round launcher button (default: yes, but not on an original page: `home_dir`). */
  launcher?: boolean;
  home_dir?: string;
  user_url_tpl?: string;
  user_avatar_url_tpl?: string;
  langs?: LangOption[];
  page_size?: number;
  /** The original's sound switch (1/0, true/false): the sound at page load, over the stored one. */
  useSsound?: number | boolean | string;
  /** The original's folder of chat images, for `[[img=…]]` in texts not imported as images. */
  file_dir?: string;
  /** "auto" (default: the browser's `prefers-color-scheme`), "light" or "dark". */
  theme?: "auto" | "light" | "dark";
  /** `false`: no system notifications, and no switch for them (default: the user may opt in). */
  notifications?: boolean;
  success?: () => void;
  /** Called when the chat cannot start ({code, message}, e.g. code "invalid_user_key"). */
  error?: (e: { code: string; message: string }) => void;
  onCloseChat?: () => void;
}
