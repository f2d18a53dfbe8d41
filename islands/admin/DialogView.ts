/**
 * The dialog of any two users (found by name, login or id), newest first, within an optional date
 * range; live while it shows the newest messages. Opened from a message (`#/dialog/a/b/<id>`),
 * it starts exactly at that message, whatever else was sent in the same minute.
 */
import { useEffect, useState } from "preact/hooks";
import { link, ulidTime } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { MessageItem } from "./MessageItem.ts";
import { MessagesExport } from "./ExportLinks.ts";
import { loadMessages } from "./messages.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Range, RangeFields } from "./RangeFields.ts";
import { useLive } from "./store.ts";
import { resolveUser, UserPicker } from "./UserPicker.ts";

interface Query extends Range {
  a: string;
  b: string;
  /** Epoch ms (exclusive) the first page ends at: just after the focused message. */
  before: string;
}

function initial(a: string, b: string, focus: string): Query {
  return { a, b, from: "", to: "", before: focus ? String(ulidTime(focus) + 1) : "" };
}

export function DialogView(
  { a = "", b = "", focus = "" }: { a?: string; b?: string; focus?: string },
) {
  const [form, setForm] = useState<Query>(() => initial(a, b, focus));
  const [query, setQuery] = useState<Query>(form);
  const [error, setError] = useState("");
  // List (newest first, like the other views) or chat (bubbles, oldest first); remembered.
  const [chat, setChatState] = useState(() => localStorage.getItem("parley-admin-chat") === "1");
  const setChat = (on: boolean) => {
    localStorage.setItem("parley-admin-chat", on ? "1" : "0");
    setChatState(on);
  };
  useEffect(() => {
    const q = initial(a, b, focus);
    setForm(q);
    setQuery(q);
  }, [a, b, focus]);
  const ready = query.a && query.b && query.a !== query.b;
  const list = usePaged(
    (cursor) =>
      ready
        ? loadMessages({
          user: query.a,
          peer: query.b,
          from: query.from,
          to: query.to,
          before: query.before,
        }, cursor)
        : Promise.resolve({ items: [], next: null }),
    [query.a, query.b, query.from, query.to, query.before],
  );
  // Live: messages of this pair that arrive while the newest page is shown.
  const live = useLive();
  const newest = ready && !query.to && !query.before;
  const top = list.items[0]?.id ?? "";
  const fresh = newest && !list.loading
    ? live.filter((m) =>
      m.id > top &&
      ((m.from === query.a && m.to === query.b) || (m.from === query.b && m.to === query.a))
    )
    : [];
  useEffect(() => {
    if (focus) document.querySelector(`[data-id="${focus}"]`)?.scrollIntoView({ block: "center" });
  }, [list.items.length, focus]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError("");
    try {
      const [a2, b2] = await Promise.all([resolveUser(form.a), resolveUser(form.b)]);
      if (a2 !== a || b2 !== b) location.hash = link("dialog", a2, b2);
      setQuery({ ...form, a: a2, b: b2, before: "" });
      setForm({ ...form, a: a2, b: b2 });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const field = (name: "a" | "b", label: string) =>
    html`
      <${UserPicker}
        label=${label}
        name=${name}
        value=${form[name]}
        onInput=${(v: string) => setForm({ ...form, [name]: v })}
      />
    `;
  return html`
    <section class="pa-view">
      <form class="pa-form" onSubmit=${submit}>
        ${field("a", t("userA"))} ${field("b", t("userB"))}
        <${RangeFields} value=${form} onChange=${(r: Range) => setForm({ ...form, ...r })} />
        <button type="submit">${t("show")}</button>
      </form>
      ${error && html`<p class="pa-error" role="alert">${error}</p>`}
      <div class="pa-view-switch" role="group" aria-label=${t("viewAs")}>
        <button aria-pressed=${!chat} onClick=${() => setChat(false)}>${t("asList")}</button>
        <button aria-pressed=${chat} onClick=${() => setChat(true)}>${t("asChat")}</button>
        ${query.before &&
          html`<button class="pa-link" onClick=${() => setQuery({ ...query, before: "" })}>
          ${t("showNewest")}
        </button>`}
      </div>
      <p class="pa-muted">
        ${ready &&
          html`<${MessagesExport} user=${query.a} peer=${query.b} from=${query.from} to=${query.to} />`}
        ${chat ? t("oldestFirst") : t("newestFirst")}
      </p>
      ${chat && html`<${Pager} list=${list} empty=${t("noMessages")} />`}
      <div class=${chat ? "pa-chat" : "pa-list"}>
        ${(chat ? [...fresh, ...list.items].reverse() : [...fresh, ...list.items]).map((m) =>
          html`
            <${MessageItem}
              key=${m.id}
              m=${m}
              highlight=${m.id === focus}
              side=${chat ? (m.from === query.a ? "a" : "b") : undefined}
            />
          `
        )}
      </div>
      ${!chat && html`<${Pager} list=${list} empty=${t("noMessages")} />`}
    </section>
  `;
}
