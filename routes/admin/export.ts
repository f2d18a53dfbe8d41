import { Hono } from "hono";
import type { Context } from "hono";
import { type AuditRow, listAudit } from "../../kv/moderation/audit.ts";
import { queryComplaints } from "../../kv/moderation/complaint_query.ts";
import { adminComplaint, type ComplaintStatus } from "../../kv/moderation/complaints.ts";
import type { AdminMessage } from "../../kv/moderation/message_listings.ts";
import { adminText } from "../../kv/moderation/message_search.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest } from "../../services/core/errors.ts";
import { type Format, type TableSource, tableStream } from "../../services/export/table.ts";
import { actors, adminMessagesPage, auditFilter, messageQuery } from "./listings.ts";
import { adminOnly, complaintQuery, profilesFor } from "./params.ts";

/** Rows one export request reads per page (the stream reads the next page as it is taken). */
const PAGE = 200;
const STATUSES = ["open", "resolved", "dismissed", "all"];

type Names = Record<string, { name?: string }>;

function format(c: Context): Format {
  const f = c.req.query("format") ?? "csv";
  if (f !== "csv" && f !== "json") {
    throw badRequest("invalid_format", "format must be csv or json", "format");
  }
  return f;
}

function download<T>(c: Context, name: string, src: TableSource<T>): Response {
  const f = format(c);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "");
  return new Response(tableStream(src, f), {
    headers: {
      "content-type": f === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="parley-${name}-${stamp}.${f}"`,
      "cache-control": "no-store",
    },
  });
}

/** Pages with the names of the users they mention (an export is read without the page's names). */
function named<T>(
  deps: Deps,
  page: (cursor: string | undefined) => Promise<{ rows: T[]; next: string | null }>,
  ids: (row: T) => string[],
) {
  let names: Names = {};
  const name = (id: string | null | undefined) => (id ? names[id]?.name ?? "" : "");
  const read = async (cursor: string | undefined) => {
    const p = await page(cursor);
    names = await profilesFor(deps, p.rows.flatMap(ids));
    return p;
  };
  return { read, name };
}

/**
 * `/api/v1/admin/export/<view>?format=csv|json&<the view's filters>`: the messages (admins), the
 * complaints queue, the audit log (admins), as a streamed download of every page.
 */
export function adminExportRoutes(deps: Deps) {
  const { kv } = deps;
  const app = new Hono<AppEnv>();

  app.get("/messages", adminOnly, (c) => {
    const q = messageQuery(c, 200);
    format(c);
    const { read, name } = named<AdminMessage>(deps, async (cursor) => {
      const p = await adminMessagesPage(kv, { ...q, cursor: cursor ?? q.cursor, limit: PAGE });
      return { rows: p.messages, next: p.next_cursor };
    }, (m) => [m.from, m.to]);
    return download<AdminMessage>(c, "messages", {
      columns: [
        "id",
        "created_at",
        "from",
        "from_name",
        "to",
        "to_name",
        "text",
        "shown_text",
        "attachment",
        "read_at",
        "edited_at",
      ],
      cells: (
        m,
      ) => [
        m.id,
        m.created_at,
        m.from,
        name(m.from),
        m.to,
        name(m.to),
        adminText(m),
        m.text,
        m.attachment?.id ?? "",
        m.read_at ?? "",
        m.edited_at ?? "",
      ],
      object: (m) => ({ ...m, from_name: name(m.from), to_name: name(m.to) }),
      page: read,
    });
  });

  app.get("/complaints", (c) => {
    const status = c.req.query("status") || "all";
    if (!STATUSES.includes(status)) {
      throw badRequest("invalid_query", `status must be one of ${STATUSES.join(", ")}`, "status");
    }
    const q = complaintQuery(c, status as ComplaintStatus | "all");
    format(c);
    type Row = ReturnType<typeof adminComplaint>;
    const { read, name } = named<Row>(
      deps,
      async (cursor) => {
        const p = await queryComplaints(kv, { ...q, cursor: cursor ?? q.cursor, limit: PAGE });
        return { rows: p.complaints.map(adminComplaint), next: p.next_cursor };
      },
      (x) => [x.reporter, x.user_id, x.handled_by ?? "", x.assignee?.user_id ?? ""].filter(Boolean),
    );
    return download<Row>(c, "complaints", {
      columns: [
        "id",
        "created_at",
        "status",
        "reason",
        "reporter",
        "reporter_name",
        "user_id",
        "user_name",
        "message_id",
        "message_text",
        "text",
        "assignee",
        "handled_by",
        "handled_by_name",
        "note",
        "updated_at",
      ],
      cells: (
        x,
      ) => [
        x.id,
        x.created_at,
        x.status,
        x.reason,
        x.reporter,
        name(x.reporter),
        x.user_id,
        name(x.user_id),
        x.message_id ?? "",
        x.message ? adminText(x.message as AdminMessage) : "",
        x.text,
        x.assignee?.user_id ?? "",
        x.handled_by ?? "",
        name(x.handled_by),
        x.note,
        x.updated_at,
      ],
      object: (x) => ({ ...x, reporter_name: name(x.reporter), user_name: name(x.user_id) }),
      page: read,
    });
  });

  app.get("/audit", adminOnly, (c) => {
    const filter = auditFilter(c);
    format(c);
    const { read, name } = named<AuditRow>(deps, async (cursor) => {
      const p = await listAudit(kv, { ...filter, cursor, limit: PAGE });
      return { rows: p.audit, next: p.next_cursor };
    }, (r) => actors([r]));
    return download<AuditRow>(c, "audit", {
      columns: ["id", "at", "by", "by_name", "action", "target", "note", "details"],
      cells: (r) => [r.id, r.at, r.by, name(r.by), r.action, r.target, r.note, r.details ?? ""],
      object: (r) => ({ ...r, by_name: name(r.by) }),
      page: read,
    });
  });
  return app;
}
