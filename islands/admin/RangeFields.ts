/** The "from / to" date-time pair of the dialog and user views. */
import { html } from "./html.ts";
import { t } from "./i18n.ts";

export interface Range {
  from: string;
  to: string;
}

export function RangeFields(
  { value, onChange }: { value: Range; onChange: (r: Range) => void },
) {
  const field = (name: keyof Range, label: string) =>
    html`
      <label class="pa-field">
        <span>${label}</span>
        <input
          type="datetime-local"
          name=${name}
          value=${value[name]}
          onInput=${(e: Event) =>
            onChange({ ...value, [name]: (e.target as HTMLInputElement).value })}
        />
      </label>
    `;
  return html`${field("from", t("from"))}${field("to", t("to"))}`;
}
