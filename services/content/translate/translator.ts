/** What every translation provider adapter implements, and the HTTP call they share. */

export interface Translation {
  text: string;
  /** The source language the provider detected, when it says. */
  detected: string | null;
}

export interface Translator {
  name: "yandex" | "libretranslate";
  /** Translates plain text into `target` (ISO 639-1); throws TranslateError on any failure. */
  translate(text: string, target: string, signal: AbortSignal): Promise<Translation>;
}

/** A provider failed: unreachable, timed out, answered an error, or answered nonsense. */
export class TranslateError extends Error {}

/**
 * POSTs JSON and returns the parsed answer with its status; network errors, timeouts and non-JSON
 * answers become TranslateError naming the provider.
 */
export async function postJson(
  provider: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
): Promise<{ status: number; ok: boolean; json: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json", ...headers },
      body: JSON.stringify(body),
      signal,
    });
  } catch (e) {
    throw new TranslateError(`${provider}: ${describe(e, signal)}`);
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch (e) {
    if (signal.aborted) throw new TranslateError(`${provider}: ${describe(e, signal)}`);
    throw new TranslateError(`${provider}: answered ${res.status} with a body that is not JSON`);
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw new TranslateError(`${provider}: answered ${res.status} with an unexpected body`);
  }
  return { status: res.status, ok: res.ok, json: json as Record<string, unknown> };
}

function describe(e: unknown, signal: AbortSignal): string {
  if (signal.aborted) return "timed out";
  return `unreachable (${e instanceof Error ? e.message : String(e)})`;
}
