/** Find a user by id, login or name; then all their messages, sent and received, by date. */
import { useEffect, useState } from "preact/hooks";
import { call } from "./api.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { MessageItem } from "./MessageItem.ts";
import { MessagesExport } from "./ExportLinks.ts";
import { loadMessages } from "./messages.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Range, RangeFields } from "./RangeFields.ts";
import type { Profile } from "./store.ts";
import { UserCard } from "./UserCard.ts";
import { UserPanel } from "./UserPanel.ts";

/** Requests one search (or "search further") makes at most: each scans up to 2,000 users. */
const SEARCH_REQUESTS = 5;

interface Found {
  user: Profile;
  banned: boolean;
  is_admin: boolean;
  last_active: string | null;
}

function Search({ q }: { q: string }) {
  const list = usePaged(
    async (cursor) => {
      const r = await call<{ users: Found[]; next_cursor: string | null; scanned: number }>(
        "GET",
        "/api/v1/admin/users",
        { params: { q, cursor, limit: "20" } },
      );
      return { items: r.users, next: r.next_cursor, scanned: r.scanned };
    },
    [q],
    { fill: 20, requests: SEARCH_REQUESTS },
  );
  return html`
    <div>
      <ul class="pa-users">
          ${list.items.map((u) =>
            html`<li key=${u.user.user_id}>
          <a href=${link("user", u.user.user_id)} data-nav>
            <b>${u.user.name || u.user.user_id}</b>
            <span class="pa-muted"> ${u.user.login} · ID ${u.user.user_id}</span>
          </a>
          ${u.banned && html`<span class="pa-badge pa-warn">${t("banned")}</span>`}
          ${u.is_admin && html`<span class="pa-badge">${t("admin")}</span>`}
          <span class="pa-muted">${u.last_active ? when(u.last_active) : ""}</span>
        </li>`
          )}
        </ul>
      <${Pager} list=${list} empty=${t("noUsers")} />
    </div>
  `;
}

function Messages({ uid }: { uid: string }) {
  const [form, setForm] = useState<Range & { att: boolean }>({ from: "", to: "", att: false });
  const [query, setQuery] = useState(form);
  const list = usePaged(
    (cursor) =>
      loadMessages(
        { user: uid, from: query.from, to: query.to, attachments: query.att },
        cursor,
      ),
    [uid, query.from, query.to, query.att],
  );
  return html`
    <div>
      <form class="pa-form" onSubmit=${(e: Event) => {
        e.preventDefault();
        setQuery(form);
      }}>
        <${RangeFields} value=${form} onChange=${(r: Range) => setForm({ ...form, ...r })} />
        <label class="pa-check">
            <input
              type="checkbox"
              checked=${form.att}
              onChange=${(e: Event) =>
                setForm({ ...form, att: (e.target as HTMLInputElement).checked })}
            />
            ${t("attachmentsOnly")}
          </label>
        <button type="submit">${t("show")}</button>
      </form>
      <p class="pa-muted">
        ${t("newestFirst")}
        <${MessagesExport} user=${uid} from=${query.from} to=${query.to} att=${query.att} />
      </p>
      <div class="pa-list">${list.items.map((m) =>
        html`<${MessageItem} key=${m.id} m=${m} />`
      )}</div>
      <${Pager} list=${list} empty=${t("noMessages")} />
    </div>
  `;
}

export function UserView({ uid = "" }: { uid?: string }) {
  const [text, setText] = useState("");
  const [q, setQ] = useState<string | null>(uid ? null : "");
  useEffect(() => {
    if (uid) setQ(null);
  }, [uid]);
  return html`<section class="pa-view">
    <form class="pa-form" role="search" onSubmit=${(e: Event) => {
    e.preventDefault();
    setQ(text.trim());
  }}>
      <input
        type="search"
        class="pa-grow"
        data-search
        aria-label=${t("search")}
        placeholder=${t("search")}
        value=${text}
        onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)}
      />
      <button type="submit">${t("find")}</button>
    </form>
    ${q !== null && html`<${Search} q=${q} />`}
    ${
    uid && html`
      <div class="pa-user-layout">
        <div class="pa-user-main">
          <${UserCard} uid=${uid} />
          <${Messages} key=${uid} uid=${uid} />
        </div>
        <${UserPanel} uid=${uid} />
      </div>
    `
  }
  </section>`;
}
