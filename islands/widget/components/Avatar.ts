/** A user's avatar (host image if http(s), else the initial) with the online dot. */
import { html } from "../html.ts";
import { avatarUrl } from "../links.ts";
import { nameOf, person, update } from "../store.ts";

/** Avatar URLs that failed to load: their users get the initial instead of a broken image. */
const broken = new Set<string>();

/** Avatar of `uid`, decorative (names are given in text next to it). */
export function Avatar({ uid }: { uid: string }) {
  const p = person(uid);
  const url = avatarUrl(p.user);
  return html`<span class="av" aria-hidden="true">${
    url && !broken.has(url)
      ? html`<img src=${url} alt="" referrerpolicy="no-referrer" onError=${() => (
        broken.add(url), update()
      )} />`
      : [...nameOf(uid)][0].toUpperCase()
  }${p.online && html`<i class="dot"></i>`}</span>`;
}
