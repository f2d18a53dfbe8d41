/**
 * Searching message text for admins: within a user, a dialog, a date range or everything,
 * folded (case, diacritics, ё = е), newest first. It reads the same index a listing would, at
 * most SEARCH_BUDGET entries per request, and pages on from where it stopped (`scanPage`).
 */
import { fold, foldedSpans } from "../../services/core/fold.ts";
import { type FilterConfig, maskedSpans } from "../../services/content/filters.ts";
import type { IndexRef } from "./message_index.ts";
import {
  type AdminMessage,
  type AdminMessageQuery,
  listingRange,
  resolve,
  withReadTimes,
} from "./message_listings.ts";
import { scanPage } from "./scan_page.ts";

/** Index entries one search request reads at most. */
export const SEARCH_BUDGET = 500;

/** What the admin reads of a message: the original (unmasked) text when the filter masked it. */
export function adminText(m: AdminMessage): string {
  return typeof m.original_text === "string" ? m.original_text : m.text;
}

/**
 * Where to highlight in `adminText(m)`: what the search matched, and what the content filter
 * masked (links, e-mails, phones, listed words), as `[start, end)` offsets.
 */
export function highlights(m: AdminMessage, q: string, filters: FilterConfig) {
  const text = adminText(m);
  return {
    matched: q ? foldedSpans(text, q) : [],
    filtered: m.masked ? maskedSpans(text, filters).map((s) => [s.start, s.end, s.kind]) : [],
  };
}

/** One page of messages whose text contains `q` (folded); see the module comment for paging. */
export async function searchAdminMessages(
  kv: Deno.Kv,
  q: AdminMessageQuery & { q: string },
): Promise<{ messages: AdminMessage[]; next_cursor: string | null }> {
  const range = listingRange(q);
  if (!range) return { messages: [], next_cursor: null };
  const needle = fold(q.q);
  const iter = kv.list<IndexRef | AdminMessage>(range.selector, {
    reverse: true,
    limit: SEARCH_BUDGET,
    batchSize: 100,
  });
  const page = await scanPage<AdminMessage>(iter, {
    limit: q.limit,
    budget: SEARCH_BUDGET,
    load: async (entries) => {
      if (range.isPair) return entries.map((e) => e.value as AdminMessage);
      const refs = entries.map((e) => ({ id: String(e.key.at(-1)), ref: e.value as IndexRef }));
      const found = new Map((await resolve(kv, refs)).map((m) => [m.id, m]));
      return refs.map((r) => found.get(r.id) ?? null);
    },
    keep: (m) => (!q.attachments || Boolean(m.attachment)) && fold(adminText(m)).includes(needle),
  });
  return { messages: await withReadTimes(kv, page.items), next_cursor: page.next_cursor };
}
