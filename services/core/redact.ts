/**
 * Keeps credentials out of log lines. Owners put secrets into the URLs they configure (the
 * README's `?token=…` on the callbacks, `user:pass@` for a webhook receiver), and an answer body
 * can hold a user's hash, so what is logged about a URL is its origin and path, and what is
 * logged about a body is its shape with every hash-like run masked.
 */

/** `https://user:pw@host/path?token=x#f` → `https://host/path`; not a URL → `(not a URL)`. */
export function safeUrl(raw: string | null | undefined): string {
  if (!raw) return "(none)";
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

// Anything that looks like an absolute URL inside free text (an error message, a log line).
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** Rewrites every URL inside `text` to its safe form (no userinfo, query or fragment). */
export function redactUrls(text: string): string {
  // Only URLs that carry something to hide are rewritten; others stay exactly as they were.
  return text.replace(URL_IN_TEXT, (m) => /[?#@]/.test(m) ? safeUrl(m) : m);
}

// A run that could be a hash or a token: as long as the shortest hash Parley accepts.
const TOKEN_LIKE = /[A-Za-z0-9+/=_.$:~-]{16,}/g;

/**
 * A short, safe description of a body for a log line: its size and the start of its first
 * non-empty line, with URLs reduced and every hash-like run (16+ characters) masked.
 */
export function describeBody(text: string, max = 80): string {
  const first = text.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  const shown = redactUrls(first).replace(TOKEN_LIKE, "[masked]").slice(0, max);
  return `${new TextEncoder().encode(text).length} bytes, starting "${shown}"`;
}
