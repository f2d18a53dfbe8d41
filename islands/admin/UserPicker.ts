/**
 * A user field that finds people by name, login or id: it asks the server's user search (folded,
 * Cyrillic-aware) as the admin types and offers the matches in a <datalist>; picking one puts the
 * id in the field. On submit, `resolveUser` turns whatever was typed into one id.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { call } from "./api.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import type { Profile } from "./store.ts";
import { store } from "./store.ts";

interface Found {
  user: Profile;
}

async function search(q: string): Promise<Profile[]> {
  const r = await call<{ users: Found[] }>("GET", "/api/v1/admin/users", {
    params: { q, limit: "10" },
  });
  const users = r.users.map((u) => u.user);
  store.addNames(Object.fromEntries(users.map((u) => [u.user_id, u])));
  return users;
}

/** The one user `typed` names: an exact id, login or name among the matches, or the only match. */
export async function resolveUser(typed: string): Promise<string> {
  const q = typed.trim();
  if (!q) throw new Error(t("pickUser"));
  const found = await search(q);
  const exact = found.filter((u) => u.user_id === q || u.login === q || u.name === q);
  const pick = exact.length === 1 ? exact : found;
  if (pick.length === 1) return pick[0].user_id;
  throw new Error(found.length ? t("pickUserMany", { q }) : t("pickUserNone", { q }));
}

let seq = 0;

export function UserPicker(
  { label, name, value, onInput, required = true }: {
    label: string;
    name: string;
    value: string;
    onInput: (v: string) => void;
    required?: boolean;
  },
) {
  const [options, setOptions] = useState<Profile[]>([]);
  const id = useRef(`pa-users-${++seq}`).current;
  useEffect(() => {
    const q = value.trim();
    if (q.length < 1) return setOptions([]);
    const timer = setTimeout(() => search(q).then(setOptions, () => {}), 250);
    return () => clearTimeout(timer);
  }, [value]);
  return html`
    <label class="pa-field">
      <span>${label}</span>
      <input
        name=${name}
        list=${id}
        required=${required}
        autocomplete="off"
        placeholder=${t("pickerHint")}
        value=${value}
        onInput=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
      />
      <datalist id=${id}>
        ${options.map((u) =>
          html`<option key=${u.user_id} value=${u.user_id}>${u.name} @${u.login} #${u.user_id}</option>`
        )}
      </datalist>
    </label>
  `;
}
