/**
 * A modal dialog over the page: focus moves in (to its first button) and back where it was on
 * close; Esc, a click outside, or another view (hashchange) close it.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { html } from "./html.ts";

export function Modal(
  { className, label, labelledBy, onClose, children }: {
    className: string;
    label?: string;
    labelledBy?: string;
    onClose: () => void;
    children: ComponentChildren;
  },
) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.querySelector<HTMLElement>("button")?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      onClose();
    };
    addEventListener("keydown", onKey);
    addEventListener("hashchange", onClose);
    return () => {
      removeEventListener("keydown", onKey);
      removeEventListener("hashchange", onClose);
      before?.focus?.();
    };
  }, []);
  return html`
    <div class="pa-overlay" onClick=${onClose}>
      <div
        class=${className}
        role="dialog"
        aria-modal="true"
        aria-label=${label}
        aria-labelledby=${labelledBy}
        ref=${box}
        onClick=${(e: Event) => e.stopPropagation()}
      >${children}</div>
    </div>
  `;
}
