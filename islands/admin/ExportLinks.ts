/** "Download CSV / JSON" of the list a view shows, with the view's own filters. */
import { apiUrl } from "./api.ts";
import { localToIso } from "./format.ts";
import { html } from "./html.ts";
import { tm } from "./i18n_mod.ts";

export function ExportLinks(
  { view, params }: {
    view: "messages" | "complaints" | "audit";
    params: Record<string, string | undefined>;
  },
) {
  const href = (format: string) => apiUrl(`/api/v1/admin/export/${view}`, { ...params, format });
  return html`
    <span class="pa-export">
      <a href=${href("csv")} download data-export="csv">${tm("exportCsv")}</a>
      <a href=${href("json")} download data-export="json">${tm("exportJson")}</a>
    </span>
  `;
}

/** A message view's filters (local date inputs) as the export's parameters. */
export function MessagesExport(
  { user, peer, from, to, att }: {
    user: string;
    peer?: string;
    from: string;
    to: string;
    att?: boolean;
  },
) {
  return html`<${ExportLinks} view="messages" params=${{
    user,
    peer,
    from: localToIso(from),
    to: localToIso(to),
    attachments: att ? "1" : undefined,
  }} />`;
}
