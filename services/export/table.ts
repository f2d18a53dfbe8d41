/**
 * Lists as downloadable files: CSV (RFC 4180 quoting, and a guard against formula injection: a
 * cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
 * spreadsheet shows it as text instead of running it) or JSON (one array), streamed page by
 * page so memory stays flat however long the list is.
 */

export type Format = "csv" | "json";

/** One CSV cell: guarded, then quoted when it holds a quote, a comma or a line break. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined
    ? ""
    : typeof value === "object"
    ? JSON.stringify(value)
    : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF-terminated, as RFC 4180 has it). */
export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

export interface TableSource<T> {
  /** Column names, and each row's cells in that order (CSV). */
  columns: string[];
  cells: (row: T) => unknown[];
  /** JSON: each row as an object. */
  object: (row: T) => unknown;
  /** One page after `cursor` (undefined: the first); next null at the end. */
  page: (cursor: string | undefined) => Promise<{ rows: T[]; next: string | null }>;
}

const enc = new TextEncoder();

/**
 * The file as a stream: pages are read as the client takes the bytes (pull), so a slow
 * download reads slowly, and a cancelled one stops reading.
 */
export function tableStream<T>(src: TableSource<T>, format: Format): ReadableStream<Uint8Array> {
  let cursor: string | undefined;
  let started = false;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let out = "";
      if (!started) {
        started = true;
        // A UTF-8 byte order mark, so spreadsheet programs read Cyrillic right.
        out += format === "csv" ? "\uFEFF" + csvLine(src.columns) : "[";
      }
      // A pull must enqueue something or end the stream, else the stream waits forever: pages
      // that come back empty (a filtered scan that found nothing yet) are read on.
      while (!done && !out) {
        const { rows, next } = await src.page(cursor);
        for (const row of rows) {
          if (format === "csv") out += csvLine(src.cells(row));
          else {
            out += (first ? "\n" : ",\n") + JSON.stringify(src.object(row));
            first = false;
          }
        }
        if (next === null) {
          done = true;
          if (format === "json") out += "\n]\n";
        } else cursor = next;
      }
      if (out) controller.enqueue(enc.encode(out));
      if (done) controller.close();
    },
  }, { highWaterMark: 0 });
}
