/**
 * Writes one page of each original table into Parley's KV through the kv/ modules live traffic
 * uses (so the keys, indexes and counters are the same), records what happened in the report,
 * and ends each page with `finish` (the checkpoint) in an atomic after the page's data. With no
 * KV (a dry run) it maps and checks everything, images included, and writes nothing.
 */
import { attachmentRecord, writeImportedImage } from "../../kv/media/attachments.ts";
import { type ImportedMessage, MessageImport } from "../../kv/messaging/import_batch.ts";
import { putTranslation } from "../../kv/messaging/translations.ts";
import { importComplaint } from "../../kv/moderation/complaints.ts";
import { eachLimited } from "../../kv/people/contact_index.ts";
import { importRelation } from "../../kv/people/relations.ts";
import { importProfiles } from "../../kv/people/users.ts";
import { importedUlid } from "../core/ids.ts";
import { loadImage } from "./files.ts";
import {
  mapComplaint,
  mapMessage,
  type Mapped,
  mapProfile,
  mapRelation,
  mapTranslation,
} from "./mapper.ts";
import type { Rows, Table } from "./reader.ts";
import type { Report } from "./report.ts";

export interface WriteContext {
  /** Null in a dry run. */
  kv: Deno.Kv | null;
  /** The message writer, which merges dialogs over many pages (made on first use). */
  messages?: MessageImport;
  /** Messages per merge window (MessageImport's default unless a test sets it). */
  window?: number;
  /** The original's chatFiles/ folder. */
  files: string;
  report: Report;
}

export type Finish = (op: Deno.AtomicOperation) => void;
export type PageWriter<T extends Table> = (
  ctx: WriteContext,
  rows: Rows[T][],
  finish: Finish,
) => Promise<void>;

/** Maps rows, reporting problems; returns the values to write. */
function mapAll<R, T>(ctx: WriteContext, table: Table, rows: R[], map: (r: R) => Mapped<T>): T[] {
  const out: T[] = [];
  for (const r of rows) {
    const m = map(r);
    if (!m.ok) {
      ctx.report.problem(m.problem);
      ctx.report.skip(table, m.problem.kind);
      continue;
    }
    m.problems.forEach((p) => ctx.report.problem(p));
    out.push(m.value);
  }
  return out;
}

/** The checkpoint alone, for tables whose rows are written in atomics of their own. */
async function checkpoint(kv: Deno.Kv, finish: Finish) {
  const op = kv.atomic();
  finish(op);
  if (!(await op.commit()).ok) throw new Error("import: the checkpoint atomic was rejected");
}

const users: PageWriter<"users"> = async (ctx, rows, finish) => {
  const profiles = mapAll(ctx, "users", rows, mapProfile);
  const counts = ctx.report.table("users");
  if (!ctx.kv) {
    counts.imported += profiles.length;
    return;
  }
  const kv = ctx.kv;
  const chunks = [];
  for (let i = 0; i < profiles.length; i += 10) chunks.push(profiles.slice(i, i + 10));
  await eachLimited(chunks, 4, async (chunk) => {
    const stored = await importProfiles(kv, chunk);
    counts.imported += stored;
    if (chunk.length > stored) {
      ctx.report.skip("users", "profile already in Parley", chunk.length - stored);
    }
  });
  await checkpoint(kv, finish);
};

const messages: PageWriter<"messages"> = async (ctx, rows, finish) => {
  const mapped = mapAll(ctx, "messages", rows, mapMessage);
  const page: ImportedMessage[] = mapped.map((m) => ({
    message: m.message,
    source_id: m.source_id,
  }));
  await eachLimited(
    mapped.map((m, i) => [m, page[i]] as const).filter(([m]) => m.file),
    8,
    async ([m, out]) => {
      const row = `messages ${m.source_id}`;
      const image = await loadImage(ctx.files, m.file!, row);
      if (!image.ok) return ctx.report.problem(image.problem);
      if (!ctx.kv) return;
      const id = importedUlid(Date.parse(m.message.created_at), "P", m.source_id);
      const written = await writeImportedImage(ctx.kv, id, image.bytes, image.info);
      out.message = { ...out.message, attachment: written.attachment };
      out.attachment = attachmentRecord(written.attachment, out.message, {
        etag: written.etag,
        chunks: written.chunks,
        created_at: out.message.created_at,
      });
    },
  );
  ctx.report.table("messages").imported += page.length;
  if (ctx.kv) await (ctx.messages ??= new MessageImport(ctx.kv, ctx.window)).add(page, finish);
};

const relations: PageWriter<"users_relations"> = async (ctx, rows, finish) => {
  const found = mapAll(ctx, "users_relations", rows, mapRelation);
  const counts = ctx.report.table("users_relations");
  const flagged = found.filter((r) => r.flag);
  // A plain contact is a dialog in Parley: its dialog puts it in the list (nothing to write).
  const plain = found.length - flagged.length;
  if (plain) ctx.report.skip("users_relations", "plain contact (listed by its dialog)", plain);
  if (!ctx.kv) {
    counts.imported += flagged.length;
    return;
  }
  const kv = ctx.kv;
  await eachLimited(flagged, 8, async (r) => {
    if (await importRelation(kv, r.owner, r.peer, r.flag!)) counts.imported++;
    else ctx.report.skip("users_relations", "already set in Parley");
  });
  await checkpoint(kv, finish);
};

/** Mutations per translation atomic (each value is at most a few KiB: 8,000 characters). */
const TRANSLATIONS_PER_ATOMIC = 50;

const translations: PageWriter<"messages_translate"> = async (ctx, rows, finish) => {
  const found = mapAll(ctx, "messages_translate", rows, mapTranslation);
  ctx.report.table("messages_translate").imported += found.length;
  if (!ctx.kv) return;
  const kv = ctx.kv;
  for (let i = 0; i < found.length || i === 0; i += TRANSLATIONS_PER_ATOMIC) {
    const op = kv.atomic();
    for (const t of found.slice(i, i + TRANSLATIONS_PER_ATOMIC)) {
      putTranslation(op, t.message_id, t.lang, t.value);
    }
    if (i + TRANSLATIONS_PER_ATOMIC >= found.length) finish(op);
    if (!(await op.commit()).ok) throw new Error("import: a translation atomic was rejected");
  }
};

const complaints: PageWriter<"abuse"> = async (ctx, rows, finish) => {
  const found = mapAll(ctx, "abuse", rows, mapComplaint);
  const counts = ctx.report.table("abuse");
  if (!ctx.kv) {
    counts.imported += found.length;
    return;
  }
  // One at a time, in row order: of repeated complaints about one user, the first stays open.
  for (const { source_id, ...c } of found) {
    const res = await importComplaint(ctx.kv, c);
    if (res === "stored") counts.imported++;
    else if (res === "exists") ctx.report.skip("abuse", "already imported");
    else {
      ctx.report.problem({
        kind: "duplicate_complaint",
        row: `abuse ${source_id}`,
        detail: `${c.reporter} already has an open complaint about ${c.target}`,
      });
      ctx.report.skip("abuse", "duplicate_complaint");
    }
  }
  await checkpoint(ctx.kv, finish);
};

/** How each table is written: a page at a time, and (messages) what is left at its end. */
export const WRITERS: {
  [T in Table]: { page: PageWriter<T>; end?: (ctx: WriteContext) => Promise<void> };
} = {
  users: { page: users },
  messages: { page: messages, end: async (ctx) => await ctx.messages?.flush() },
  users_relations: { page: relations },
  messages_translate: { page: translations },
  abuse: { page: complaints },
};
