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
