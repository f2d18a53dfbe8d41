/**
 * Content filters for message text, applied on send (pure: no KV, no environment). Each enabled
 * filter finds spans of the text; a span it masks becomes "***" — friendlier than refusing the
 * message, and the sender still sees what went through. Allow-listed links are kept spans, so the
 * phone and word filters cannot mangle them (an e-mail inside one is still masked). Earlier
 * filters win where spans overlap: links ("https://ok.com@evil.com" is one link to evil.com),
 * then e-mails, then phones, then words.
 */

export interface FilterConfig {
  /** Blocked words or phrases in lower case; a trailing "*" also matches any ending. */
  words: string[];
  maskPhones: boolean;
  maskEmails: boolean;
  maskLinks: boolean;
  /** Hosts whose links stay visible, subdomains included; lower-case ASCII (punycode). */
  linkAllowHosts: string[];
}

export const NO_FILTERS: FilterConfig = {
  words: [],
  maskPhones: false,
  maskEmails: false,
  maskLinks: false,
  linkAllowHosts: [],
};

export const MASK = "***";

export type MaskKind = "link" | "email" | "phone" | "word";

export interface FilterResult {
  text: string;
  /** True when anything was masked. */
  masked: boolean;
  /** What was masked, each kind once, in filter order. */
  kinds: MaskKind[];
}

/** A found span; kind null means "leave as is" (an allowed link). */
interface Span {
  start: number;
  end: number;
  kind: MaskKind | null;
}

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-])/gu;

/**
 * Top-level domains that make a bare "name.tld" a link. A short list on purpose: a rule like
 * "any word.word" would mask "file.txt" or a missing space after a full stop.
 */
const TLDS = (
  "com net org info biz ru su рф ua by kz uz me io co tv cc uk de eu us xyz online site top pro " +
  "app dev ly gl club shop store tech space website link ai gg ws"
).split(" ");
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?`;
const LINK = new RegExp(
  String
    .raw`(?<![\p{L}\p{N}@._-])(?:(?:https?|ftp):\/\/[^\s<>"']+|www\.[^\s<>"']+|(?:${LABEL}\.)+(?:${
    TLDS.join("|")
  })(?![\p{L}\p{N}@-])(?:[:/?#][^\s<>"']*)?)`,
  "giu",
);

/** A run of digits joined by at most three separators, optionally led by "+" or "(". */
const DIGIT_RUN = /(?<![\p{L}\p{N}_+])(?:\+\s?|\(\s?)?\d(?:[ \t\u00A0()\-‐-―]{0,3}\d)*/gu;

function* matches(re: RegExp, text: string): Generator<{ start: number; value: string }> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) yield { start: m.index, value: m[0] };
}

/** Drops trailing punctuation that ends a sentence rather than a link. */
function trimLink(s: string): string {
  let out = s.replace(/[.,;:!?…»"'\]}]+$/u, "");
  while (out.endsWith(")") && out.split("(").length < out.split(")").length) {
    out = out.slice(0, -1).replace(/[.,;:!?…»"'\]}]+$/u, "");
  }
  return out;
}

/** The link's host in lower-case ASCII, or null if it does not parse. */
export function linkHost(link: string): string | null {
  try {
    const u = new URL(/^[a-z]+:\/\//i.test(link) ? link : `http://${link}`);
    return u.hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null;
  }
}

/** True when `host` is one of `allow` or a subdomain of one. */
export function hostAllowed(host: string, allow: string[]): boolean {
  return allow.some((h) => host === h || host.endsWith(`.${h}`));
}

/**
 * Whether a digit sequence reads as a phone number. Russian: 11 digits from 7 or 8
 * (8 912 345 67 89), 10 from 9 (912 345-67-89), 7 as 345-67-89; international: "+" or "00" then
 * 8 to 15 digits; 10 digits with an area code in brackets or grouped 3-3-4 (202-555-0143).
 * Prices (1500), years (2024), dates and ordinary counts do not qualify.
 */
export function looksLikePhone(digits: string, plus: boolean, raw: string): boolean {
  const n = digits.length;
  if (plus) return n >= 8 && n <= 15 && digits[0] !== "0";
  if (digits.startsWith("00")) return n >= 10 && n <= 17 && digits[2] !== "0";
  if (n === 11) return digits[0] === "7" || digits[0] === "8";
  if (n === 10) {
    return digits[0] === "9" || raw.includes("(") || /^\d{3}[-\s]\d{3}[-\s]\d{4}$/.test(raw);
  }
  if (n === 7) return /^\d{3}-\d{2}-\d{2}$/.test(raw);
  return false;
}

/**
 * Phone spans in one digit run. Tries every start group, longest first, so "1500 8 912 345 67 89"
 * masks the phone and keeps the price.
 */
function phonesInRun(run: string, offset: number): Span[] {
  const groups = [...run.matchAll(/\d+/g)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }));
  const out: Span[] = [];
  let i = 0;
  while (i < groups.length) {
    let found = -1;
    let from = groups[i].start;
    const lead = run.slice(i === 0 ? 0 : groups[i - 1].end, groups[i].start);
    const plus = i === 0 && run.startsWith("+");
    if (plus) from = 0;
    else if (lead.includes("(")) from = groups[i].start - lead.length + lead.indexOf("(");
    for (let j = groups.length - 1; j >= i && found < 0; j--) {
      const raw = run.slice(from, groups[j].end);
      if (looksLikePhone(raw.replace(/\D/g, ""), plus, raw.replace(/^\+\s?/, ""))) found = j;
    }
    if (found < 0) {
      i++;
      continue;
    }
    // A bracket opens the span only if it closes inside it: "(912) 345-67-89", not "(89123456789".
    if (run[from] === "(" && !run.slice(from, groups[found].end).includes(")")) {
      from = groups[i].start;
    }
    out.push({ start: offset + from, end: offset + groups[found].end, kind: "phone" });
    i = found + 1;
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const wordRes = new WeakMap<string[], RegExp | null>();

/** One regex for the whole blocklist: whole words, any case, е and ё alike, "*" = any ending. */
function wordRegex(words: string[]): RegExp | null {
  if (wordRes.has(words)) return wordRes.get(words)!;
  const alts = words.filter(Boolean).sort((a, b) => b.length - a.length).map((w) => {
    const prefix = w.endsWith("*");
    const body = escapeRe(prefix ? w.slice(0, -1) : w)
      .replace(/[её]/gi, "[её]")
      .replace(/\s+/g, String.raw`\s+`);
    return prefix ? String.raw`${body}[\p{L}\p{N}]*` : body;
  });
  const re = alts.length
    ? new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${alts.join("|")})(?![\p{L}\p{N}])`, "giu")
    : null;
  wordRes.set(words, re);
  return re;
}

function findSpans(text: string, cfg: FilterConfig): Span[] {
  const spans: Span[] = [];
  if (cfg.maskLinks) {
    for (const m of matches(LINK, text)) {
      const link = trimLink(m.value);
      const host = linkHost(link);
      const keep = host !== null && hostAllowed(host, cfg.linkAllowHosts);
      spans.push({ start: m.start, end: m.start + link.length, kind: keep ? null : "link" });
    }
  }
  if (cfg.maskEmails) {
    for (const m of matches(EMAIL, text)) {
      spans.push({ start: m.start, end: m.start + m.value.length, kind: "email" });
    }
  }
  if (cfg.maskPhones) {
    for (const m of matches(DIGIT_RUN, text)) spans.push(...phonesInRun(m.value, m.start));
  }
  const words = wordRegex(cfg.words);
  if (words) {
    for (const m of matches(words, text)) {
      spans.push({ start: m.start, end: m.start + m.value.length, kind: "word" });
    }
  }
  return spans;
}

/**
 * What the configured filters mask in `text`, in order: `[start, end)` and the kind (the admin's
 * search highlights these in a message's original text).
 */
export function maskedSpans(
  text: string,
  cfg: FilterConfig,
): { start: number; end: number; kind: MaskKind }[] {
  const accepted: Span[] = [];
  for (const s of findSpans(text, cfg)) {
    const blocked = accepted.some((a) =>
      s.start < a.end && a.start < s.end && !(a.kind === null && s.kind === "email")
    );
    if (!blocked) accepted.push(s);
  }
  return accepted.flatMap((s) =>
    s.kind === null ? [] : [{ start: s.start, end: s.end, kind: s.kind }]
  )
    .sort((a, b) => a.start - b.start);
}

/** Masks what the configured filters find; the result says whether and what was masked. */
export function filterText(text: string, cfg: FilterConfig): FilterResult {
  const masks = maskedSpans(text, cfg);
  if (masks.length === 0) return { text, masked: false, kinds: [] };
  let out = "";
  let at = 0;
  for (const s of masks) {
    out += text.slice(at, s.start) + MASK;
    at = s.end;
  }
  out += text.slice(at);
  const order: MaskKind[] = ["link", "email", "phone", "word"];
  const kinds = order.filter((k) => masks.some((s) => s.kind === k));
  return { text: out, masked: true, kinds };
}

/** True when any filter is switched on (sends skip the work otherwise). */
export function filtersOn(cfg: FilterConfig): boolean {
  return cfg.maskEmails || cfg.maskLinks || cfg.maskPhones || cfg.words.length > 0;
}

/**
 * The text to store and show for a send, plus the server-only fields that keep the original for
 * admins (`original_text`, `masked`, `masked_kinds`); `publicMessage()` never returns those.
 */
export function maskForSend(
  text: string,
  cfg: FilterConfig,
): { text: string; extra?: Record<string, unknown> } {
  if (!text || !filtersOn(cfg)) return { text };
  const r = filterText(text, cfg);
  if (!r.masked) return { text };
  return { text: r.text, extra: { original_text: text, masked: true, masked_kinds: r.kinds } };
}
