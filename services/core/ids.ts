import { badRequest } from "./errors.ts";

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A number written with leading zeros (`02`, `007`): not the canonical form of any id. */
const PADDED_NUMBER = /^0[0-9]+$/;

/**
 * Sender of system messages (manage API). Reserved: nobody can sign in as it or write to it, so
 * the widget shows its dialog without a reply box.
 */
export const SYSTEM_USER = "system";

/**
 * Accepts the original's numeric ids as well as strings; returns the canonical string form.
 * A numeric id has one spelling: `02` and `002` are refused, not read as `2`, because PHP's
 * `(int)` on the host's side would answer user 2's hash and profile for them, and a second name
 * for user 2 would slip past the bans, blocks and admin rights recorded under `2`.
 */
export function normaliseUserId(raw: unknown, field = "user_id"): string {
  const id = typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0
    ? String(raw)
    : typeof raw === "string"
    ? raw.trim()
    : undefined;
  if (id === undefined || !USER_ID.test(id)) {
    throw badRequest(
      "invalid_user_id",
      "user id must be 1-64 characters of A-Z a-z 0-9 _ -",
      field,
    );
  }
  if (PADDED_NUMBER.test(id)) {
    throw badRequest(
      "invalid_user_id",
      "a numeric user id is written without leading zeros (2, not 02)",
      field,
    );
  }
  return id;
}

/** True for a user id in its canonical form (the rules of normaliseUserId). */
export function isUserId(s: string): boolean {
  return USER_ID.test(s) && !PADDED_NUMBER.test(s);
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
let lastTime = 0;
let lastRandom = new Uint8Array(10);

/**
 * Monotonic ULID: time-sortable, so `list({prefix}, {reverse: true})` pages history, and two ids
 * made in the same millisecond by this process still sort in creation order.
 */
export function ulid(now = Date.now()): string {
  if (now <= lastTime) {
    now = lastTime;
    for (let i = 9; i >= 0; i--) {
      if (lastRandom[i] < 255) {
        lastRandom[i]++;
        break;
      }
      lastRandom[i] = 0;
    }
  } else {
    lastTime = now;
    lastRandom = crypto.getRandomValues(new Uint8Array(10));
    lastRandom[0] &= 0x7f; // headroom so increments within one ms never overflow
  }
  return encodeTime(now) + encodeRandom(lastRandom);
}

/**
 * The sixteen-character random part of a ULID: 80 bits, five to a character, most significant
 * first. Plain numbers, no BigInt: every message id is one, and BigInt steps each allocate.
 */
export function encodeRandom(bytes: Uint8Array): string {
  let out = "";
  let acc = 0;
  let held = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0x1fff; // at most 4 bits left over + 8 new: 12 bits
    held += 8;
    while (held >= 5) {
      held -= 5;
      out += CROCKFORD[(acc >> held) & 31];
    }
  }
  return out;
}

/** The ten-character time part of a ULID for `ms` since the epoch. */
function encodeTime(ms: number): string {
  let time = "";
  let t = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/**
 * A ULID for a record imported from another system: the time part is the original time, the
 * rest is `tag` (one letter per kind of record) and the original row id, so the same row always
 * gets the same id (re-running an import rewrites, never duplicates) and rows of one millisecond
 * sort by their original id. The tags (M messages, P pictures, R reports) are letters past F,
 * which ulid() never starts its random part with (it keeps the top bit clear): imported and new
 * ids cannot collide.
 */
export function importedUlid(ms: number, tag: "M" | "P" | "R", rowId: number): string {
  let tail = "";
  for (let n = Math.max(0, Math.floor(rowId)), i = 0; i < 15; i++, n = Math.floor(n / 32)) {
    tail = CROCKFORD[n % 32] + tail;
  }
  return encodeTime(ms) + tag + tail;
}

/** The smallest ULID made at `ms`: every id made at or after `ms` sorts at or above it. */
export function ulidFloor(ms: number): string {
  return encodeTime(ms) + "0".repeat(16);
}

/** The largest ULID made at `ms`: every id made at or before `ms` sorts at or below it. */
export function ulidCeil(ms: number): string {
  return encodeTime(ms) + "Z".repeat(16);
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export function isUlid(s: unknown): s is string {
  return typeof s === "string" && ULID.test(s);
}

/** Milliseconds since epoch encoded in a ULID's first ten characters. */
export function ulidTime(id: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD.indexOf(id[i]);
  return t;
}
