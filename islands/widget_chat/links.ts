/**
 * Clickable links in message text. Only `http://` and `https://` addresses become links (a
 * `javascript:` or `data:` text stays text), each opens in a new tab with
 * `rel="noopener noreferrer nofollow"`, and they are built as elements, never as HTML. What is
 * linked is what the server stored: its link filter (services/content/filters.ts) has already
 * replaced a link it does not allow with "***", so only allowed links are left to click.
 */
import { html, S } from "../widget_extra/core.ts";

const URL_RE = /\bhttps?:\/\/[^\s<>"'«»]+/gi;

/** Drops what ends a sentence rather than the link (and a ")" the link did not open). */
function trimLink(u: string): string {
  u = u.replace(/[.,!?;:…]+$/, "");
  return u.endsWith(")") && !u.includes("(") ? trimLink(u.slice(0, -1)) : u;
}

/** The link's address if it is a well-formed http(s) URL. */
function href(u: string): string | undefined {
  try {
    const url = new URL(u);
    return /^https?:$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Text with its links as <a> elements; the text between them goes through `rest` (the
 * compatibility part's image tags) or stays as it is.
 */
export function linkify(text: string, rest?: (s: string) => unknown): unknown[] {
  const out: unknown[] = [];
  let at = 0;
  const plain = (s: string) => s && out.push(rest ? rest(s) : s);
  for (const m of text.matchAll(URL_RE)) {
    const link = trimLink(m[0]);
    const url = href(link);
    if (!url) continue;
    plain(text.slice(at, m.index));
    out.push(
      html`<a href=${url} target="_blank" rel="noopener noreferrer nofollow">${link}</a>`,
    );
    at = m.index + link.length;
  }
  plain(text.slice(at));
  return out;
}

/** Makes the core render message texts with links (over the compatibility part's renderer). */
export function useLinks() {
  const rest = S.text;
  S.text = (text) => linkify(text, rest);
}
