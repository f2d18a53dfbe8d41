/** Cursor paging for every admin list: first page on mount (and when `key` changes), then more. */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "./html.ts";
import { t } from "./i18n.ts";

export interface Page<T> {
  items: T[];
  next: string | null;
}

interface State<T> {
  items: T[];
  next: string | null;
  loading: boolean;
  error: string;
}

/** Fetches pages through `load(cursor)`; a page emptied by a server-side filter is skipped. */
export function usePaged<T>(load: (cursor?: string) => Promise<Page<T>>, key: unknown[]) {
  const [state, setState] = useState<State<T>>({ items: [], next: null, loading: true, error: "" });
  const generation = useRef(0);
  const fetchFrom = async (cursor: string | undefined, gen: number, keep: T[]) => {
    setState({ items: keep, next: cursor ?? null, loading: true, error: "" });
    try {
      let page = await load(cursor);
      for (let i = 0; i < 10 && page.items.length === 0 && page.next; i++) {
        page = await load(page.next);
      }
      if (gen === generation.current) {
        setState({ items: [...keep, ...page.items], next: page.next, loading: false, error: "" });
      }
    } catch (e) {
      if (gen === generation.current) {
        setState({
          items: keep,
          next: cursor ?? null,
          loading: false,
          error: (e as Error).message,
        });
      }
    }
  };
  useEffect(() => {
    const gen = ++generation.current;
    fetchFrom(undefined, gen, []);
  }, key);
  return {
    ...state,
    more: () => {
      if (state.next && !state.loading) fetchFrom(state.next, generation.current, state.items);
    },
    reload: () => fetchFrom(undefined, ++generation.current, []),
  };
}

/** The foot of a paged list: loading, error, or the "load more" button. */
export function Pager(
  { list, empty }: {
    list: {
      items: unknown[];
      next: string | null;
      loading: boolean;
      error: string;
      more: () => void;
    };
    empty: string;
  },
) {
  if (list.loading) return html`<p class="pa-muted" role="status">${t("loading")}</p>`;
  return html`
    ${list.error && html`<p class="pa-error" role="alert">${t("error")}: ${list.error}</p>`}
    ${!list.error && list.items.length === 0 && html`<p class="pa-muted">${empty}</p>`}
    ${list.next && html`<button class="pa-more" onClick=${list.more}>${t("loadMore")}</button>`}
  `;
}
