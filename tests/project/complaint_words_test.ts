/**
 * One word per complaint reason: what the widget offers the reporting user ("Fraud") is what the
 * admin page calls the complaint ("fraud", not "scam"), in English and in Russian.
 */
import assert from "node:assert/strict";
import { en, ru } from "../../islands/widget_extra/strings.ts";

const REASONS = ["spam", "abuse", "scam", "other"] as const;

/** The admin page's strings read from its source (the module needs a document to load). */
async function adminReasons(): Promise<Record<"ru" | "en", Record<string, string>>> {
  const src = await Deno.readTextFile(new URL("../../islands/admin/i18n.ts", import.meta.url));
  const enAt = src.indexOf("const en");
  const pick = (part: string) =>
    Object.fromEntries(
      [...part.matchAll(/reason_(\w+): "([^"]+)"/g)].map((m) => [m[1], m[2]]),
    );
  return { ru: pick(src.slice(0, enAt)), en: pick(src.slice(enAt)) };
}

Deno.test("complaint reasons: the widget's word is the admin page's word, ru and en", async () => {
  const admin = await adminReasons();
  for (const r of REASONS) {
    assert.equal(admin.en[r]?.toLowerCase(), en[r].toLowerCase(), `en ${r}`);
    assert.equal(admin.ru[r]?.toLowerCase(), ru[r].toLowerCase(), `ru ${r}`);
  }
});
