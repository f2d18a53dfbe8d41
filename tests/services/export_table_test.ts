import assert from "node:assert/strict";
import { csvCell, csvLine, tableStream } from "../../services/export/table.ts";
import { foldedSpans } from "../../services/core/fold.ts";

Deno.test("CSV cells: quoting per RFC 4180 and the formula-injection guard", () => {
  assert.equal(csvCell("plain"), "plain");
  assert.equal(csvCell('say "hi", ok'), '"say ""hi"", ok"');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
  for (const danger of ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
    assert.ok(csvCell(danger).replace(/^"/, "").startsWith("'"), danger);
  }
  assert.equal(csvCell("=1+1"), "'=1+1");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell({ a: 1 }), '"{""a"":1}"');
  assert.equal(csvLine(["a", 1, "b,c"]), 'a,1,"b,c"\r\n');
});

Deno.test("tableStream pages until the end, as CSV with a BOM and as one JSON array", async () => {
  const pages: Record<string, { rows: number[]; next: string | null }> = {
    "": { rows: [1, 2], next: "a" },
    a: { rows: [], next: "b" },
    b: { rows: [3], next: null },
  };
  const src = {
    columns: ["n", "label"],
    cells: (n: number) => [n, `=${n}`],
    object: (n: number) => ({ n }),
    page: (c: string | undefined) => Promise.resolve(pages[c ?? ""]),
  };
  const bytes = new Uint8Array(await new Response(tableStream(src, "csv")).arrayBuffer());
  // text() would drop the byte order mark; decode it keeping the mark.
  const csv = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  assert.equal(csv, "\uFEFFn,label\r\n1,'=1\r\n2,'=2\r\n3,'=3\r\n");
  const json = await new Response(tableStream(src, "json")).text();
  assert.deepEqual(JSON.parse(json), [{ n: 1 }, { n: 2 }, { n: 3 }]);
});

Deno.test("foldedSpans finds a query under folding (case, ё = е) at the original offsets", () => {
  assert.deepEqual(foldedSpans("Мой Ёжик и ежик", "ЕЖИК"), [[4, 8], [11, 15]]);
  assert.deepEqual(foldedSpans("José and JOSE", "jose"), [[0, 4], [9, 13]]);
  assert.deepEqual(foldedSpans("nothing", "x"), []);
  assert.deepEqual(foldedSpans("text", "  "), []);
});
