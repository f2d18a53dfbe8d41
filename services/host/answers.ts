/**
 * Reading what a PHP host site prints: PHP's own warnings before (or after) the answer, a BOM,
 * JSON with a trailing comma, and the user-hash rule. Pure functions, no I/O.
 */

const PHP_LEVELS =
  "(?:PHP )?(?:Warning|Notice|Deprecated|Strict Standards|User (?:Warning|Notice|Deprecated))";
// display_errors=on with html_errors (php -S, Apache): `<br />\n<b>Warning</b>:  … on line <b>23</b><br />`
const PHP_HTML_DIAGNOSTIC = new RegExp(
  `<br />\\r?\\n<b>${PHP_LEVELS}</b>: [^\\n]*? on line <b>\\d+</b><br />\\r?\\n?`,
  "g",
);
// The same without html_errors (php-cli, some FPM setups): `\nWarning: … in /x.php on line 23\n`
const PHP_TEXT_DIAGNOSTIC = new RegExp(
  `(?:^|\\r?\\n)${PHP_LEVELS}: [^\\n]*? on line \\d+(?=\\r?\\n|$)`,
  "g",
);

/**
 * Removes PHP's non-fatal diagnostics (warnings, notices, deprecations) that a site with
 * `display_errors` on prints into its answer, and a byte-order mark. Fatal errors are kept:
 * the script died, and its answer must not be mistaken for a real one.
 */
export function stripPhpDiagnostics(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(PHP_HTML_DIAGNOSTIC, "").replace(
    PHP_TEXT_DIAGNOSTIC,
    "",
  );
}

/**
 * Parses JSON the way PHP sites write it: tolerates a trailing comma before `]` or `}` (the
 * original's own example has one) and a byte-order mark.
 */
export function parseLenientJson(text: string): unknown {
  let out = "";
  let inString = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (inString) {
      out += ch;
      if (ch === "\\") out += s[++i] ?? "";
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ",") {
      let j = i + 1;
      while (j < s.length && /\s/.test(s[j])) j++;
      if (s[j] === "]" || s[j] === "}") continue;
    }
    out += ch;
  }
  return JSON.parse(out);
}

/**
 * The rule a URL_getUsersHash answer must meet to be taken as a hash: after PHP's warnings and
 * surrounding whitespace are removed (and one JSON string, `"…"`, is unwrapped), ONE token of 16
 * to 256 printable ASCII characters with no space, quote, backslash, backtick or angle bracket.
 * An md5 (32 hex), a sha256, base64 and bcrypt strings pass; an error sentence ("No access from
 * ip 127.0.0.1"), an HTML page or a short word ("Forbidden") does not, so an error the site
 * answers with 200 can never be used as a user's key.
 */
export const HASH_RULE = /^[A-Za-z0-9!#$%&()*+,\-./:;=?@[\]^_{|}~]{16,256}$/;

/** What a hash answer says: a hash, no hash for this user (empty), or something unusable. */
export type HashAnswer =
  | { kind: "hash"; hash: string }
  | { kind: "empty" }
  | { kind: "bad"; why: string };

export function parseHashAnswer(body: string): HashAnswer {
  let text = stripPhpDiagnostics(body).trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      const s = JSON.parse(text);
      if (typeof s === "string") text = s.trim();
    } catch {
      return { kind: "bad", why: "the answer is a broken JSON string" };
    }
  }
  if (!text) return { kind: "empty" };
  if (HASH_RULE.test(text)) return { kind: "hash", hash: text };
  const why = /\s/.test(text)
    ? "the answer is not one token (it has spaces or several lines)"
    : text.length < 16 || text.length > 256
    ? `the answer is ${text.length} characters long, not 16-256`
    : "the answer has characters a hash does not have";
  return { kind: "bad", why: `${why}, so it is not a hash` };
}
