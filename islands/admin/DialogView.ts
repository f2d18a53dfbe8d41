/** The dialog of any two users, newest first, within an optional date range. */
import { useEffect, useState } from "preact/hooks";
import { link, msToLocal, ulidTime } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { MessageItem } from "./MessageItem.ts";
import { loadMessages } from "./messages.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Range, RangeFields } from "./RangeFields.ts";

interface Query extends Range {
  a: string;
  b: string;
}

function initial(a: string, b: string, focus: string): Query {
  // Opened from a message (gallery, complaint): end the range just after it so it is on page one.
  const to = focus ? msToLocal(ulidTime(focus) + 60_000) : "";
  return { a, b, from: "", to };
}

export function DialogView(
  { a = "", b = "", focus = "" }: { a?: string; b?: string; focus?: string },
) {
  const [form, setForm] = useState<Query>(() => initial(a, b, focus));
  const [query, setQuery] = useState<Query>(form);
  useEffect(() => {
    const q = initial(a, b, focus);
    setForm(q);
    setQuery(q);
  }, [a, b, focus]);
  const list = usePaged(
    (cursor) =>
      query.a && query.b && query.a !== query.b
        ? loadMessages({ user: query.a, peer: query.b, from: query.from, to: query.to }, cursor)
        : Promise.resolve({ items: [], next: null }),
    [query.a, query.b, query.from, query.to],
  );
  useEffect(() => {
    if (focus) document.querySelector(`[data-id="${focus}"]`)?.scrollIntoView({ block: "center" });
  }, [list.items.length, focus]);
  const submit = (e: Event) => {
    e.preventDefault();
    const a2 = form.a.trim();
    const b2 = form.b.trim();
    if (a2 !== a || b2 !== b) location.hash = link("dialog", a2, b2);
    setQuery({ ...form, a: a2, b: b2 });
  };
  const text = (name: "a" | "b", label: string) =>
    html`
      <label class="pa-field">
        <span>${label}</span>
        <input
          name=${name}
          required
          value=${form[name]}
          onInput=${(e: Event) =>
            setForm({ ...form, [name]: (e.target as HTMLInputElement).value })}
        />
      </label>
    `;
  return html`
    <section class="pa-view">
      <form class="pa-form" onSubmit=${submit}>
          ${text("a", t("userA"))} ${text("b", t("userB"))}
          <${RangeFields} value=${form} onChange=${(r: Range) => setForm({ ...form, ...r })} />
          <button type="submit">${t("show")}</button>
        </form>
      <p class="pa-muted">${t("newestFirst")}</p>
      <div class="pa-list">
          ${list.items.map((m) =>
            html`<${MessageItem} key=${m.id} m=${m} highlight=${m.id === focus} />`
          )}
        </div>
      <${Pager} list=${list} empty=${t("noMessages")} />
    </section>
  `;
}
