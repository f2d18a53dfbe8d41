/** The UI languages Parley speaks. */
export type Lang = "ru" | "en";

/**
 * `?lang=` if it names a language we have, else the first of the browser's Accept-Language
 * that we have, else Russian (the original's language).
 */
export function pickLang(asked: string | undefined, acceptLanguage: string | undefined): Lang {
  const a = asked?.trim().toLowerCase().slice(0, 2);
  if (a === "ru" || a === "en") return a;
  const prefs = (acceptLanguage ?? "").split(",").map((part) => {
    const [tag, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return { lang: tag.slice(0, 2), q: q ? Number(q.slice(2)) || 0 : 1 };
  }).filter((p) => p.lang === "ru" || p.lang === "en").sort((x, y) => y.q - x.q);
  return (prefs[0]?.lang as Lang | undefined) ?? "ru";
}
