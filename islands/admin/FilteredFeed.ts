/**
 * The monitor with a filter: the server finds the users the text names (exact id, or folded name
 * or login) and pages back through their messages; new messages of those users join live.
 */
import { useState } from "preact/hooks";
import { call } from "./api.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { MessageItem } from "./MessageItem.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Msg, type Profile, store, useLive } from "./store.ts";

interface WhoAnswer {
  messages: Msg[];
  next_cursor: string | null;
  matched: string[];
  truncated: boolean;
  users: Record<string, Profile>;
}

const MAX_USERS = 10;

export function FilteredFeed({ who }: { who: string }) {
  const [matched, setMatched] = useState<{ ids: string[]; truncated: boolean } | null>(null);
  const list = usePaged(async (cursor) => {
    const r = await call<WhoAnswer>("GET", "/api/v1/admin/messages", {
      params: { who, cursor, limit: "50" },
    });
    store.addNames(r.users);
    if (!cursor) setMatched({ ids: r.matched, truncated: r.truncated });
    return { items: r.messages, next: r.next_cursor };
  }, [who]);
  const live = useLive();
  const top = list.items[0]?.id ?? "";
  const ids = new Set(matched?.ids ?? []);
  const fresh = list.loading
    ? []
    : live.filter((m) => m.id > top && (ids.has(m.from) || ids.has(m.to)));
  const names = (matched?.ids ?? []).map((id) => `${store.name(id)} #${id}`).join(", ");
  return html`
    ${matched && html`<p class="pa-muted pa-filter-note">
      ${matched.ids.length ? t("filterMatches", { names }) : t("filterNone", { q: who })}
      ${
      matched.truncated && html`
        ${t("filterTruncated", { n: MAX_USERS })}
      `
    }
    </p>`}
    <div class="pa-list pa-live">
      ${[...fresh, ...list.items].map((m) => html`<${MessageItem} key=${m.id} m=${m} />`)}
    </div>
    <${Pager} list=${list} empty=${t("noMessages")} />
  `;
}
