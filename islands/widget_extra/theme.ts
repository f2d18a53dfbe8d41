/**
 * The widget's look chosen by the host: dark mode (the `theme` option: "auto" follows the
 * browser's `prefers-color-scheme`, "light", "dark") and theming through CSS custom properties
 * set on the `parley-widget` element — `--parley-brand` (launcher, selected and primary buttons),
 * `--parley-radius` (the panel's corners), `--parley-font` (the font family), `--parley-left` /
 * `--parley-right` / `--parley-bottom` (where the launcher and the floating panel sit). Custom
 * properties inherit into the shadow root, so the page styles the element and nothing else.
 * Applied when this script loads (right after init), so a host colour shows a moment later than
 * the launcher itself.
 */
import { S, update } from "./core.ts";

const DARK = "(prefers-color-scheme: dark)";

/** Puts `dark` on the host element as the option and the browser say. */
export function applyTheme() {
  const host = document.querySelector("parley-widget");
  const media = matchMedia(DARK);
  const set = () => {
    const t = S.opts.theme ?? "auto";
    host?.classList.toggle("dark", t === "dark" || (t === "auto" && media.matches));
    update();
  };
  media.addEventListener("change", set);
  set();
}

/** The theming rules (after the core's, so they win). */
export const THEME_CSS =
  `.launcher,[aria-pressed=true],.primary{background:var(--parley-brand,#26b)}
.root{font-family:var(--parley-font,system-ui,sans-serif)}
.launcher{right:var(--parley-right,20px);left:var(--parley-left,auto);bottom:var(--parley-bottom,20px)}
@media (min-width:481px) and (min-height:481px){.panel{right:var(--parley-right,20px);left:var(--parley-left,auto);bottom:var(--parley-bottom,20px);border-radius:var(--parley-radius,12px)}}
:host(.dark) .root{color:#e6e6e6}
:host(.dark) .panel,:host(.dark) .menu,:host(.dark) .rform{background:#1f2023}
:host(.dark) .log{background:#17181a}
:host(.dark) .msg{background:#2c2e33}
:host(.dark) .me{background:#1e3a5c}
:host(.dark) .sys,:host(.dark) .banner{background:#3b3520;color:#f2e7c4}
:host(.dark) .prev,:host(.dark) .status,:host(.dark) .side,:host(.dark) .meta,:host(.dark) .empty,:host(.dark) .day,:host(.dark) .icon,:host(.dark) .mact{color:#b4b8bf}
:host(.dark) .read,:host(.dark) .link,:host(.dark) .send{color:#8fb8f5}
:host(.dark) .err,:host(.dark) .warn{color:#ff9a90}
:host(.dark) .top,:host(.dark) .composer,:host(.dark) .note,:host(.dark) .rform{border-color:#3a3c41}
:host(.dark) .search,:host(.dark) textarea{border-color:#5a5d63;background:#26282c}
:host(.dark) .av{background:#2d4a6b}
:host(.dark) .dot{border-color:#1f2023}
:host(.dark) :where(button:hover){background-color:#fff1}`;
