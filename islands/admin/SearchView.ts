/**
 * Searching message text (admins): within a user, a dialog or a period, server-side and paged;
 * what matched is marked, and so is what the content filter masked in the original text.
 */
import { useState } from "preact/hooks";
import { call } from "./api.ts";
import { ExportLinks } from "./ExportLinks.ts";
import { link, localToIso, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { tm } from "./i18n_mod.ts";
import { deleteMessage, Who } from "./MessageItem.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Range, RangeFields } from "./RangeFields.ts";
import { type Msg, type Profile, useDeleted, useStore } from "./store.ts";
import { resolveUser, UserPicker } from "./UserPicker.ts";

type Hit = Msg & {
  original_text?: string;
  highlights: { matched: [number, number][]; filtered: [number, number, string][] };
};

type Query = Record<string, string | undefined>;

/** The text with its matched and filtered spans in <mark> (as text nodes, never as HTML). */
export function Marked({ text, h }: { text: string; h: Hit["highlights"] }) {
  const spans = [
    ...h.matched.map(([a, b]) => ({ a, b, cls: "pa-found", title: "" })),
    ...h.filtered.map(([a, b]) => ({ a, b, cls: "pa-filtered", title: tm("filteredWord") })),
  ].sort((x, y) => x.a - y.a);
  const out: unknown[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.a < at) continue;
    out.push(text.slice(at, s.a));
    out.push(
      html`<mark class=${s.cls} title=${s.title || undefined}>${text.slice(s.a, s.b)}</mark>`,
    );
    at = s.b;
  }
  out.push(text.slice(at));
  return html`<p class="pa-text">${out}</p>`;
}

function Result({ m }: { m: Hit }) {
  const s = useStore();
  const gone = useDeleted(m.id);
  const text = m.original_text ?? m.text;
  return html`
    <article class=${"pa-msg" + (gone ? " pa-gone" : "")} data-id=${m.id}>
      <header class="pa-msg-head">
        <time datetime=${m.created_at}>${when(m.created_at)}</time>
        <span
          class="pa-who"><${Who} id=${m.from} /><span aria-hidden="true"> → </span><${Who} id=${m
            .to} /></span>
        <span class="pa-msg-acts">
            <a href=${link("dialog", m.from, m.to, m.id)}>${t("openDialog")}</a>
            ${gone ? html`<span class="pa-badge pa-warn">${t("deleted")}</span>` : html`
              <button class="pa-danger pa-small" onClick=${() =>
                deleteMessage(m.id, (id) => s.markDeleted(id))}>${t("delete")}</button>
            `}
          </span>
      </header>
      <${Marked} text=${text} h=${m.highlights} />
    </article>
  `;
}

export function SearchView() {
  const s = useStore();
  const [q, setQ] = useState("");
  const [user, setUser] = useState("");
  const [peer, setPeer] = useState("");
  const [range, setRange] = useState<Range>({ from: "", to: "" });
  const [query, setQuery] = useState<Query | null>(null);
  const [error, setError] = useState("");
  const list = usePaged(async (cursor) => {
    if (!query) return { items: [] as Hit[], next: null };
    const r = await call<
      { messages: Hit[]; next_cursor: string | null; users: Record<string, Profile> }
    >(
      "GET",
      "/api/v1/admin/messages",
      { params: { ...query, cursor, limit: "50" } },
    );
    s.addNames(r.users);
    return { items: r.messages, next: r.next_cursor };
  }, [query]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError("");
    try {
      const u = user.trim() ? await resolveUser(user) : undefined;
      const p = peer.trim() ? await resolveUser(peer) : undefined;
      setQuery({
        q: q.trim(),
        user: u,
        peer: u ? p : undefined,
        from: localToIso(range.from),
        to: localToIso(range.to),
      });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`<section class="pa-view">
    <form class="pa-form" role="search" onSubmit=${submit}>
      <label class="pa-field pa-grow">
        <span>${tm("searchText")}</span>
        <input
          name="q"
          required
          maxLength="100"
          value=${q}
          onInput=${(e: Event) => setQ((e.target as HTMLInputElement).value)}
        />
      </label>
      <${UserPicker} label=${
    t("user")
  } name="search_user" value=${user} onInput=${setUser} required=${false} />
      <${UserPicker} label=${
    tm("peer")
  } name="search_peer" value=${peer} onInput=${setPeer} required=${false} />
      <${RangeFields} value=${range} onChange=${setRange} />
      <button type="submit">${tm("searchGo")}</button>
    </form>
    <p class="pa-muted">${tm("searchHint")}</p>
    ${error && html`<p class="pa-error" role="alert">${error}</p>`}
    ${
    query && html`
      <div class="pa-toolbar">
        <${ExportLinks} view="messages" params=${query} />
      </div>
      <div class="pa-list pa-results">${list.items.map((m) =>
        html`<${Result} key=${m.id} m=${m} />`
      )}</div>
      <${Pager} list=${list} empty=${tm("noResults")} />
    `
  }
  </section>`;
}
