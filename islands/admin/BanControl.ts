/**
 * How long a ban lasts: 1 h, 24 h, 7 d, a custom number of hours, or until lifted; and a ban's
 * end in words. Used by the ban form, the user card and "resolve and ban".
 */
import { useState } from "preact/hooks";
import { when } from "./format.ts";
import { html } from "./html.ts";
import { tm } from "./i18n_mod.ts";

export type DurationChoice = "3600" | "86400" | "604800" | "custom" | "forever";

export interface DurationValue {
  choice: DurationChoice;
  hours: string;
}

export const DEFAULT_DURATION: DurationValue = { choice: "86400", hours: "48" };

/** The API's ban body for a choice: `{duration}` in seconds, or nothing for forever. */
export function durationBody(v: DurationValue): { duration?: number } {
  if (v.choice === "forever") return {};
  if (v.choice === "custom") return { duration: Math.max(1, Math.round(Number(v.hours) * 3600)) };
  return { duration: Number(v.choice) };
}

/** "until 02.12.2026, 14:00:00" or "forever". */
export function banEnd(until: string | null | undefined): string {
  return until ? tm("until", { when: when(until) }) : tm("forever");
}

/** The choice in words, for a confirmation ("for 24 hours"). */
export function durationText(v: DurationValue): string {
  const seconds = durationBody(v).duration;
  return seconds ? banEnd(new Date(Date.now() + seconds * 1000).toISOString()) : tm("forever");
}

let seq = 0;

export function DurationField(
  { value, onChange }: { value: DurationValue; onChange: (v: DurationValue) => void },
) {
  const id = `pa-dur-${++seq}`;
  const choices: [DurationChoice, string][] = [
    ["3600", tm("d1h")],
    ["86400", tm("d24h")],
    ["604800", tm("d7d")],
    ["custom", tm("dCustom")],
    ["forever", tm("dForever")],
  ];
  return html`
    <label class="pa-field pa-duration" for=${id}>
      <span>${tm("duration")}</span>
      <select
        id=${id}
        name="duration"
        value=${value.choice}
        onChange=${(e: Event) =>
          onChange({ ...value, choice: (e.target as HTMLSelectElement).value as DurationChoice })}
      >
        ${choices.map(([v, label]) => html`<option value=${v}>${label}</option>`)}
      </select>
    </label>
    ${value.choice === "custom" && html`
      <label class="pa-field pa-hours">
        <span>${tm("customHours")}</span>
        <input
          type="number"
          name="hours"
          min="1"
          max="87600"
          required
          value=${value.hours}
          onInput=${(e: Event) =>
            onChange({ ...value, hours: (e.target as HTMLInputElement).value })}
        />
      </label>
    `}
  `;
}

/** A duration field with its state: the field to render, the API body and the words of it. */
export function useDuration() {
  const [value, setValue] = useState<DurationValue>(DEFAULT_DURATION);
  return {
    field: html`<${DurationField} value=${value} onChange=${setValue} />`,
    body: () => durationBody(value),
    text: () => durationText(value),
  };
}
