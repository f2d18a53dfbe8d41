/**
 * Turns the original's rows into Parley's records, without I/O. What the original stored and how
 * it differs from Parley:
 * - message text went through PHP's htmlspecialchars before it was stored: decoded here, once;
 * - an image was a `[[img=<file>]]` prefix naming a file in chatFiles/: split off here, the file
 *   is read and checked by services/migration/files.ts;
 * - times are Unix seconds, read_time 0 means unread;
 * - ids are ints; Parley's are strings, and its message ids are ULIDs, made here from the
 *   original time and row id (importedUlid) so that the same row always gets the same id.
 */
import { importedUlid, isUserId } from "../core/ids.ts";
import { avatarPath, safeAvatarUrl } from "../host/callbacks.ts";
import type { Message, UserProfile } from "../../kv/types.ts";
import type { CachedTranslation } from "../../kv/messaging/translations.ts";
import type { AbuseRow, MessageRow, RelationRow, TranslationRow, UserRow } from "./reader.ts";

/** Parley's limit on a message's text (routes/user/dialogs.ts); longer old texts are cut. */
export const MAX_TEXT = 4000;

/** Something wrong with one row: the row is skipped, or kept with the problem reported. */
export interface Problem {
  kind: ProblemKind;
  /** Which row: "messages 123". */
  row: string;
  detail: string;
}

export type ProblemKind =
  | "invalid_user_id"
  | "self_message"
  | "text_truncated"
  | "empty_message"
  | "extra_images"
  | "missing_image"
  | "bad_image"
  | "image_too_large"
  | "avatar_dropped"
  | "unknown_relation_type"
  | "orphan_translation"
  | "invalid_language"
  | "duplicate_complaint";

export type Mapped<T> = { ok: true; value: T; problems: Problem[] } | {
  ok: false;
  problem: Problem;
};

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&quot;": '"',
  "&lt;": "<",
  "&gt;": ">",
  "&#039;": "'",
  "&#39;": "'",
  "&apos;": "'",
};

/**
 * Undoes PHP's htmlspecialchars (what the original applied to every message): the five
 * entities it writes, in one pass, so text that itself read "&amp;lt;" comes back as "&lt;".
 */
export function decodeHtml(s: string): string {
  return s.replace(/&(?:amp|quot|lt|gt|#0?39|apos);/g, (e) => ENTITIES[e]);
}

/** The original's image tag, as sendMessage.php wrote it (before the escaped text). */
const IMAGE_TAG = /\[\[img=([^\]]*)\]\]/g;
/** File names the original made: `<from>_<to>_<ms>.<ext>`; nothing that leaves chatFiles/. */
const SAFE_FILE = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Splits a stored message into its text and the image files it names. */
export function splitImages(stored: string): { text: string; files: string[] } {
  const files = [...stored.matchAll(IMAGE_TAG)].map((m) => m[1]);
  return { text: stored.replace(IMAGE_TAG, ""), files };
}

export function userIdOf(n: unknown): string | null {
  const id = typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? String(n) : null;
  return id && isUserId(id) ? id : null;
}

function isoOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** The ULID a message row gets (messages_translate refers to it by row id and time). */
export function messageIdOf(row: { id: number; time: number }): string {
  return importedUlid(row.time * 1000, "M", row.id);
}

/** A message, with the image file it names (if any) still to be read. */
export interface MappedMessage {
  message: Message;
  source_id: number;
  file: string | null;
}

export function mapMessage(row: MessageRow): Mapped<MappedMessage> {
  const where = `messages ${row.id}`;
  const from = userIdOf(row.from_user_id);
  const to = userIdOf(row.to_user_id);
  if (!from || !to) {
    return {
      ok: false,
      problem: {
        kind: "invalid_user_id",
        row: where,
        detail: `from ${row.from_user_id} to ${row.to_user_id}`,
      },
    };
  }
  if (from === to) {
    return { ok: false, problem: { kind: "self_message", row: where, detail: `user ${from}` } };
  }
  const problems: Problem[] = [];
  const { text: escaped, files } = splitImages(row.message ?? "");
  let text = decodeHtml(escaped).trim();
  if ([...text].length > MAX_TEXT) {
    problems.push({ kind: "text_truncated", row: where, detail: `${[...text].length} characters` });
    text = [...text].slice(0, MAX_TEXT).join("");
  }
  const named = files.filter((f) => SAFE_FILE.test(f));
  for (const f of files.filter((f) => !SAFE_FILE.test(f))) {
    problems.push({
      kind: "bad_image",
      row: where,
      detail: `unusable file name ${JSON.stringify(f)}`,
    });
  }
  if (named.length > 1) {
    problems.push({
      kind: "extra_images",
      row: where,
      detail: `kept ${named[0]}, dropped ${named.slice(1).join(", ")}`,
    });
  }
  if (!text && !named.length) {
    problems.push({ kind: "empty_message", row: where, detail: "no text and no image" });
  }
  const message: Message = {
    id: messageIdOf(row),
    from,
    to,
    text,
    created_at: isoOf(row.time),
    read_at: row.read_time > 0 ? isoOf(row.read_time) : null,
  };
  return { ok: true, value: { message, source_id: row.id, file: named[0] ?? null }, problems };
}

/** The original's `users` row as a profile: it knew only the login, avatar and error. */
export function mapProfile(row: UserRow): Mapped<UserProfile> {
  const where = `users ${row.id}`;
  const id = userIdOf(row.id);
  if (!id) {
    return { ok: false, problem: { kind: "invalid_user_id", row: where, detail: String(row.id) } };
  }
  const problems: Problem[] = [];
  const raw = (row.avatar_url ?? "").trim();
  // Absolute http(s) avatars as they are; a relative path had a base only the old pages knew
  // (their `user_avatar_url_tpl`), so it is kept as written for widgets on those pages.
  const absolute = raw.startsWith("//") ? `https:${raw}` : raw;
  const avatar = /^https?:\/\//i.test(absolute) ? safeAvatarUrl(absolute, absolute) : null;
  const path = avatar ? undefined : avatarPath(raw);
  if (raw && !avatar && !path) {
    problems.push({ kind: "avatar_dropped", row: where, detail: JSON.stringify(raw) });
  }
  const login = (row.login ?? "").trim().slice(0, 64);
  return {
    ok: true,
    problems,
    value: {
      user_id: id,
      name: login || id,
      login: login || id,
      avatar_url: avatar,
      ...(path && { avatar_path: path }),
      city: "",
      age: null,
      status: "",
      error: (row.error ?? "").trim().slice(0, 500),
      source: "host",
      // Dated as stale: a site with a users-info callback refreshes it on first use.
      fetched_at: new Date(0).toISOString(),
    },
  };
}

/** users_relations.type: 0 contact, 1 favourite, 2 blocked. */
export type Relation = { owner: string; peer: string; flag: "favourite" | "blocked" | null };

export function mapRelation(row: RelationRow): Mapped<Relation> {
  const where = `users_relations ${row.user_id}-${row.to_user_id}`;
  const owner = userIdOf(row.user_id);
  const peer = userIdOf(row.to_user_id);
  if (!owner || !peer || owner === peer) {
    return {
      ok: false,
      problem: {
        kind: "invalid_user_id",
        row: where,
        detail: `${row.user_id} -> ${row.to_user_id}`,
      },
    };
  }
  const flag = ({ 0: null, 1: "favourite", 2: "blocked" } as const)[row.type as 0 | 1 | 2];
  if (flag === undefined) {
    return {
      ok: false,
      problem: { kind: "unknown_relation_type", row: where, detail: `type ${row.type}` },
    };
  }
  return { ok: true, value: { owner, peer, flag }, problems: [] };
}

export interface MappedTranslation {
  message_id: string;
  lang: string;
  value: CachedTranslation;
}

/** A stored translation of a message the import keeps (one of a valid two-person dialog). */
export function mapTranslation(row: TranslationRow): Mapped<MappedTranslation> {
  const where = `messages_translate ${row.id}`;
  if (row.message_time === null || row.from_user_id === null || row.to_user_id === null) {
    return {
      ok: false,
      problem: {
        kind: "orphan_translation",
        row: where,
        detail: `message ${row.message_id} is gone`,
      },
    };
  }
  const msg = mapMessage({
    id: row.message_id,
    from_user_id: row.from_user_id,
    to_user_id: row.to_user_id,
    time: row.message_time,
    read_time: 0,
    message: "x",
  });
  if (!msg.ok) {
    return {
      ok: false,
      problem: {
        kind: "orphan_translation",
        row: where,
        detail: `message ${row.message_id} is not imported`,
      },
    };
  }
  const lang = (row.language ?? "").trim().toLowerCase();
  if (!/^[a-z]{2}$/.test(lang)) {
    return {
      ok: false,
      problem: { kind: "invalid_language", row: where, detail: JSON.stringify(row.language) },
    };
  }
  return {
    ok: true,
    problems: [],
    value: {
      message_id: msg.value.message.id,
      lang,
      value: {
        // The original translated the escaped text; the provider kept the entities.
        text: decodeHtml(row.text ?? "").slice(0, MAX_TEXT * 2),
        provider: "yandex",
        detected: null,
        at: isoOf(row.time ?? row.message_time),
      },
    },
  };
}

export interface MappedComplaint {
  source_id: number;
  id: string;
  reporter: string;
  target: string;
  created_at: string;
}

/** An `abuse` row: who complained about whom, and when (the original kept nothing else). */
export function mapComplaint(row: AbuseRow): Mapped<MappedComplaint> {
  const where = `abuse ${row.id}`;
  const reporter = userIdOf(row.user_id_from);
  const target = userIdOf(row.user_id_to);
  if (!reporter || !target || reporter === target) {
    return {
      ok: false,
      problem: {
        kind: "invalid_user_id",
        row: where,
        detail: `${row.user_id_from} -> ${row.user_id_to}`,
      },
    };
  }
  return {
    ok: true,
    problems: [],
    value: {
      source_id: row.id,
      id: importedUlid(row.time * 1000, "R", row.id),
      reporter,
      target,
      created_at: isoOf(row.time),
    },
  };
}
