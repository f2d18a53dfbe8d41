/**
 * One POST to the host site, defended against a site that misbehaves: no redirects are followed
 * (a 3xx would re-send `id=…` to wherever it points), the answer is read as a stream and dropped
 * once it passes `maxBytes`, and one timeout covers the connection, the headers and the whole
 * body. Every failure is a HostError with a log line that names the callback, its URL without
 * query string or credentials, and why.
 */
import type { Config } from "../core/config.ts";
import { ApiError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { describeBody, redactUrls, safeUrl } from "../core/redact.ts";

/** The host site did not answer, or answered something we cannot use. */
export class HostError extends ApiError {
  constructor(what: string) {
    super(502, "host_unavailable", `the site did not answer ${what} properly; try again later`);
  }
}

/** Logs why a callback's answer was refused, and returns the HostError to throw. */
export function refuse(what: string, url: string, why: string, body?: string): HostError {
  const data: Record<string, unknown> = { url: safeUrl(url) };
  if (body !== undefined) data.body = describeBody(body);
  log.warn(`host callback ${what} refused: ${why}`, data);
  return new HostError(what);
}

/** Reads a body up to `maxBytes`; null (and the stream cancelled) once it is longer. */
async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(res.headers.get("content-length") ?? "");
  if (declared > maxBytes) {
    await res.body?.cancel();
    return null;
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Where a redirect points, resolved against the request's URL, in its safe form. */
function target(res: Response, url: string): string {
  try {
    return safeUrl(new URL(res.headers.get("location") ?? "", url).toString());
  } catch {
    return "(not a URL)";
  }
}

/** POSTs a form to the host; returns the 200 answer's text, or throws HostError. */
export async function postForm(
  cfg: Config,
  url: string,
  body: string,
  what: string,
  maxBytes: number,
): Promise<string> {
  const signal = AbortSignal.timeout(cfg.hostTimeoutMs);
  let res: Response;
  let bytes: Uint8Array | null;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      redirect: "manual",
      signal,
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      const where = res.status >= 300 && res.status < 400
        ? ` (a redirect to ${target(res, url)}; redirects are not followed)`
        : "";
      throw refuse(what, url, `HTTP ${res.status}${where}`);
    }
    bytes = await readCapped(res, maxBytes);
  } catch (e) {
    if (e instanceof HostError) throw e;
    const why = signal.aborted
      ? `no complete answer within ${cfg.hostTimeoutMs} ms`
      : `unreachable (${redactUrls(String((e as Error)?.message ?? e))})`;
    throw refuse(what, url, why);
  }
  if (bytes === null) throw refuse(what, url, `the answer is longer than ${maxBytes} bytes`);
  return new TextDecoder().decode(bytes);
}
