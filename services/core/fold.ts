/**
 * Folds text for search: compatibility decomposition (NFKD), combining marks dropped, lower case,
 * runs of spaces collapsed. "José" → "jose", "Ёлка" → "елка" (ё decomposes to е + a mark, which
 * is what Russian readers expect), "Ｆｕｌｌ" → "full". Й stays й: it is a letter of its own, not
 * и with an accent. Names in the index and the query both go through this.
 */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/([иИ])\u0306/g, (_, i: string) => (i === "и" ? "й" : "Й"))
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** One character folded as `fold` does, without trimming or collapsing spaces. */
function foldChar(ch: string): string {
  return ch.normalize("NFKD").replace(/([иИ])\u0306/g, (_, i: string) => (i === "и" ? "й" : "Й"))
    .replace(/\p{M}/gu, "").toLowerCase().replace(/\s/g, " ");
}

/**
 * Where `query` occurs in `text` under folding (case, diacritics, ё = е): `[start, end)` offsets
 * into the original text, for highlighting what a search found. Empty when it does not occur.
 */
export function foldedSpans(text: string, query: string): [number, number][] {
  const needle = fold(query);
  if (!needle) return [];
  let folded = "";
  // origin[i]: the offset in `text` of the character folded[i] came from.
  const origin: number[] = [];
  let at = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (let i = 0; i < f.length; i++) origin.push(at);
    folded += f;
    at += ch.length;
  }
  origin.push(at);
  const spans: [number, number][] = [];
  for (let i = folded.indexOf(needle); i >= 0; i = folded.indexOf(needle, i + needle.length)) {
    const end = i + needle.length;
    // The end is just past the last folded character's source character.
    const last = origin[end - 1];
    const next = origin.findIndex((o, k) => k >= end && o > last);
    spans.push([origin[i], next < 0 ? text.length : origin[next]]);
  }
  return spans;
}
