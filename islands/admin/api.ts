/**
 * The admin API client: the session is the HttpOnly admin cookie (routes/admin/session.ts), so
 * nothing secret lives in this page's JavaScript but the CSRF value each write echoes.
 */

/** Parley's base URL: the page lives at <base>/admin, so "." resolves to <base>/. */
export const BASE = new URL(".", location.href).toString();

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let csrf = "";
let onUnauthorized: () => void = () => {};

/** Remembers the session's CSRF value, and what to do when the session turns out to be gone. */
export function setSession(csrfValue: string, whenRejected: () => void) {
  csrf = csrfValue;
  onUnauthorized = whenRejected;
}

/** A URL under the API with query parameters (empty values left out). */
export function apiUrl(path: string, params: Record<string, string | undefined> = {}): string {
  const u = new URL(path.replace(/^\//, ""), BASE);
  for (const [k, v] of Object.entries(params)) if (v) u.searchParams.set(k, v);
  return u.toString();
}

/** One API call; throws ApiFailure with the server's error code on any non-2xx answer. */
export async function call<T>(
  method: string,
  path: string,
  opts: { params?: Record<string, string | undefined>; json?: unknown; auth?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== "GET" && csrf) headers["x-parley-csrf"] = csrf;
  if (opts.json !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(apiUrl(path, opts.params), {
    method,
    headers,
    credentials: "same-origin",
    body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && opts.auth !== false) onUnauthorized();
    const err = body?.error ?? {};
    throw new ApiFailure(
      res.status,
      err.code ?? "http_" + res.status,
      err.message ?? res.statusText,
    );
  }
  return body as T;
}

/** The URL of an attachment for <img src> (the admin cookie goes with it; no token in it). */
export function attachmentUrl(id: string, thumb = false): string {
  return apiUrl(`/api/v1/admin/attachments/${encodeURIComponent(id)}`, {
    size: thumb ? "thumb" : undefined,
  });
}
