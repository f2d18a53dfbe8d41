/** Cursor paging for every admin list: first page on mount (and when `key` changes), then more. */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "./html.ts";
import { lang, t } from "./i18n.ts";

export interface Page<T> {
  items: T[];
  next: string | null;
  /** How many entries the server looked at for this page (bounded scans say so). */
  scanned?: number;
}

/**
 * How hard one load (the first page, or one click on "load more") tries. A filtered list whose
 * server scans a bounded number of entries per request can answer short or empty pages that
 * still have a next cursor: the list asks on by itself until it has `fill` items or no cursor,
 * but at most `requests` times, then says how far it searched.
 */
export interface PagedOptions {
  /** Items one load wants (the list's page size); 1: only skip empty pages. */
  fill?: number;
  /** Requests one load makes at most. */
  requests?: number;
}

interface State<T> {
  items: T[];
  next: string | null;
  loading: boolean;
  error: string;
  /** Entries the server looked at since the list started (0 if it does not say). */
  scanned: number;
  /** The last load ran out of requests short of `fill`, with more still to search. */
  stopped: boolean;
}

/** Fetches pages through `load(cursor)`, asking on while they come back short (PagedOptions). */
export function usePaged<T>(
  load: (cursor?: string) => Promise<Page<T>>,
  key: unknown[],
  opts: PagedOptions = {},
) {
  const fill = opts.fill ?? 1;
  const maxRequests = opts.requests ?? 11;
  const [state, setState] = useState<State<T>>({
    items: [],
    next: null,
    loading: true,
    error: "",
    scanned: 0,
    stopped: false,
  });
  const generation = useRef(0);
  const fetchFrom = async (cursor: string | undefined, gen: number, keep: T[], scanned: number) => {
    setState({
      items: keep,
      next: cursor ?? null,
      loading: true,
      error: "",
      scanned,
      stopped: false,
    });
    const got: T[] = [];
    let next = cursor ?? null;
    try {
      let requests = 0;
      do {
        const page = await load(next ?? undefined);
        requests++;
        got.push(...page.items);
        next = page.next;
        scanned += page.scanned ?? 0;
        // Shown as they come: a slow search fills the list step by step.
        if (gen === generation.current && next && got.length < fill && requests < maxRequests) {
          setState({
            items: [...keep, ...got],
            next,
            loading: true,
            error: "",
            scanned,
            stopped: false,
          });
        }
      } while (next && got.length < fill && requests < maxRequests);
      if (gen === generation.current) {
        setState({
          items: [...keep, ...got],
          next,
          loading: false,
          error: "",
          scanned,
          stopped: next !== null && got.length < fill,
        });
      }
    } catch (e) {
      if (gen === generation.current) {
        setState({
          items: [...keep, ...got],
          next,
          loading: false,
          error: (e as Error).message,
          scanned,
          stopped: false,
        });
      }
    }
  };
  useEffect(() => {
    const gen = ++generation.current;
    fetchFrom(undefined, gen, [], 0);
  }, key);
  return {
    ...state,
    more: () => {
      if (state.next && !state.loading) {
        fetchFrom(state.next, generation.current, state.items, state.scanned);
      }
    },
    reload: () => fetchFrom(undefined, ++generation.current, [], 0),
  };
}

/**
 * The foot of a paged list: loading, error, or the "load more" button; after a load that
 * stopped short ("searched N so far"), the button searches further.
 */
export function Pager(
  { list, empty }: {
    list: {
      items: unknown[];
      next: string | null;
      loading: boolean;
      error: string;
      scanned?: number;
      stopped?: boolean;
      more: () => void;
    };
    empty: string;
  },
) {
  const searched = list.scanned ? t("searchedSoFar", { n: list.scanned.toLocaleString(lang) }) : "";
  if (list.loading) return html`<p class="pa-muted" role="status">${t("loading")}</p>`;
  return html`
    ${list.error && html`<p class="pa-error" role="alert">${t("error")}: ${list.error}</p>`}
    ${!list.error && list.items.length === 0 && !list.next &&
      html`<p class="pa-muted">${empty}</p>`}
    ${list.stopped &&
      html`<p class="pa-muted" role="status" data-progress>${searched || t("searchedPart")}</p>`}
    ${list.next &&
      html`<button class="pa-more" onClick=${list.more}>${
        list.stopped ? t("searchFurther") : t("loadMore")
      }</button>`}
  `;
}
