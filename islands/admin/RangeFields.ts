/**
 * The "from / to" pair of the dialog and user views. Text fields in the page's own date order
 * (ru "дд.мм.гггг чч:мм", en "dd/mm/yyyy hh:mm", as every timestamp on the page is written),
 * not `datetime-local`, whose order follows the browser's locale (mm/dd/yyyy in an English
 * Chrome next to Russian timestamps).
 */
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { DATE_PATTERN } from "./format.ts";

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
          name=${name}
          inputmode="numeric"
          autocomplete="off"
          placeholder=${t("datePlaceholder")}
          title=${t("dateHint")}
          pattern=${DATE_PATTERN}
          value=${value[name]}
          onInput=${(e: Event) =>
            onChange({ ...value, [name]: (e.target as HTMLInputElement).value })}
        />
      </label>
    `;
  return html`${field("from", t("from"))}${field("to", t("to"))}`;
}
