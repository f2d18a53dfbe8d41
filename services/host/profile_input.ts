/**
 * Validates a profile sent through the manage API (`PUT /api/v1/manage/users/:id`): the same
 * fields as a URL_getUsersInfo answer, but strictly, since the site's own server sends it: each
 * wrong field is a 400 naming it instead of being silently dropped.
 */
import { badRequest } from "../core/errors.ts";
import type { HostUser } from "./callbacks.ts";

const TEXT_FIELDS = { name: 100, login: 64, city: 100, status: 100, error: 500 } as const;
const ALL_FIELDS = new Set(["user_id", "avatar_url", "age", ...Object.keys(TEXT_FIELDS)]);

function text(body: Record<string, unknown>, field: keyof typeof TEXT_FIELDS): string {
  const v = body[field];
  if (v === undefined || v === null) return "";
  // PHP sites often send numbers where strings are meant (a numeric login).
  if (typeof v !== "string" && typeof v !== "number") {
    throw badRequest(`invalid_${field}`, `${field} must be a string`, field);
  }
  const s = String(v).trim();
  const max = TEXT_FIELDS[field];
  if ([...s].length > max) {
    throw badRequest(`invalid_${field}`, `${field} must be at most ${max} characters`, field);
  }
  return s;
}

function avatar(v: unknown): string | null {
  if (v === undefined || v === null || v === "") return null;
  const bad = () =>
    badRequest("invalid_avatar_url", "avatar_url must be an absolute http(s) URL", "avatar_url");
  if (typeof v !== "string" || v.length > 2048) throw bad();
  try {
    const u = new URL(v.trim());
    if (u.protocol !== "http:" && u.protocol !== "https:") throw bad();
    return u.toString();
  } catch {
    throw bad();
  }
}

function age(v: unknown): number | null {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "string" && /^\d{1,3}$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 150) {
    throw badRequest("invalid_age", "age must be a whole number from 0 to 150, or null", "age");
  }
  return n;
}

/** The profile for user `uid` from a JSON body; unknown fields and a different user_id are 400. */
export function parseProfileInput(uid: string, body: Record<string, unknown>): HostUser {
  for (const k of Object.keys(body)) {
    if (!ALL_FIELDS.has(k)) {
      throw badRequest(
        "unknown_field",
        `unknown field ${k}; allowed: ${[...ALL_FIELDS].join(", ")}`,
        k,
      );
    }
  }
  if (body.user_id !== undefined && String(body.user_id) !== uid) {
    throw badRequest("user_id_mismatch", "user_id in the body differs from the URL", "user_id");
  }
  return {
    user_id: uid,
    name: text(body, "name"),
    login: text(body, "login"),
    avatar_url: avatar(body.avatar_url),
    city: text(body, "city"),
    age: age(body.age),
    status: text(body, "status"),
    error: text(body, "error"),
  };
}
