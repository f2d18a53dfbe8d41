/**
 * One import from a Star.Comet-Chat database into Parley's KV: every table in dependency order,
 * page by page from its checkpoint, so a second run imports nothing twice (only rows added since)
 * and an interrupted run continues where it stopped.
 */
import { migrateLayout } from "../../kv/layout.ts";
import { keys } from "../../kv/keys.ts";
import { type Progress, silentProgress } from "./progress.ts";
import { type Cursor, cursorOf, Source, startCursor, type Table, TABLES } from "./reader.ts";
import { Report } from "./report.ts";
import { type PageWriter, type WriteContext, WRITERS } from "./writer.ts";

/** The checkpoints' namespace in keys.importCheckpoint. */
export const SOURCE = "star-comet";
/** Rows per page: two pages in memory at most (one read ahead). */
export const PAGE_SIZE = 2000;

export interface ImportOptions {
  /** `mysql://user:password@host:port/database` of the original. */
  mysql: string;
  /** The original's chatFiles/ folder. */
  files: string;
  /** Parley's KV; in a dry run it is only read (checkpoints), or null if there is none yet. */
  kv: Deno.Kv | null;
  dryRun: boolean;
  progress?: Progress;
  /** Rows per page (PAGE_SIZE) and messages per dialog-merge window: tests make them small. */
  pageSize?: number;
  window?: number;
}

export interface ImportCheckpoint {
  cursor: Cursor;
  at: string;
}

async function checkpointOf(kv: Deno.Kv | null, table: Table): Promise<Cursor> {
  const saved = kv && (await kv.get<ImportCheckpoint>(keys.importCheckpoint(SOURCE, table))).value;
  return saved?.cursor ?? startCursor(table);
}

/** One table, page by page after its checkpoint; each page ends with the new checkpoint. */
async function importTable<T extends Table>(
  table: T,
  source: Source,
  ctx: WriteContext,
  opts: ImportOptions,
  progress: Progress,
) {
  const counts = ctx.report.table(table);
  const writer: { page: PageWriter<T>; end?: (c: WriteContext) => Promise<void> } = WRITERS[table];
  let cursor = await checkpointOf(opts.kv, table);
  progress.start(table, await source.count(table, cursor));
  for await (const rows of source.pages(table, cursor, opts.pageSize ?? PAGE_SIZE)) {
    counts.read += rows.length;
    cursor = cursorOf(table, rows.at(-1)!);
    const value: ImportCheckpoint = { cursor, at: new Date().toISOString() };
    await writer.page(ctx, rows, (op) => op.set(keys.importCheckpoint(SOURCE, table), value));
    progress.advance(rows.length);
  }
  await writer.end?.(ctx);
  progress.end();
}

/** Imports (or, dry, checks) everything after the checkpoints; returns the report. */
export async function runImport(opts: ImportOptions): Promise<Report> {
  if (!opts.dryRun && !opts.kv) throw new Error("an import needs a KV to write to");
  const report = new Report(opts.dryRun);
  const progress = opts.progress ?? silentProgress;
  const ctx: WriteContext = {
    kv: opts.dryRun ? null : opts.kv,
    files: opts.files,
    report,
    window: opts.window,
  };
  const began = performance.now();
  // Imports write the current key layout: a store from before it is moved first.
  if (ctx.kv) await migrateLayout(ctx.kv);
  const source = await Source.open(opts.mysql);
  try {
    for (const table of TABLES) {
      const tableBegan = performance.now();
      await importTable(table, source, ctx, opts, progress);
      if (table === "messages") report.messageSeconds = (performance.now() - tableBegan) / 1000;
    }
  } finally {
    await source.close();
    report.seconds = (performance.now() - began) / 1000;
  }
  return report;
}
