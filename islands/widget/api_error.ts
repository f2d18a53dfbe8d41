/** An error answer of the Parley API, or a local failure ("network", "aborted"). */
export interface ApiErr {
  status: number;
  code: string;
  message: string;
  /** Seconds from a 429's Retry-After header. */
  retryAfter: number;
}

/** Builds an ApiErr (plain data: it is shown to the user, never needs a stack). */
export const apiErr = (status: number, code: string, message = "", retryAfter = 0): ApiErr => ({
  status,
  code,
  message,
  retryAfter,
});

/**
 * Whether a failure may pass by itself, so a send is tried again later (the outbox, an image
 * upload): no answer at all, a 5xx, 408 or 429; anything else is a refusal.
 */
export const passing = ({ status }: ApiErr) =>
  !status || status >= 500 || status === 408 || status === 429;

/** A send's random `client_id` (kv/messaging/send_ids.ts): every try of one send carries it. */
export const clientId = (): string =>
  [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0"))
    .join("");

/** True when the server has no such route (a feature it does not run yet): the UI hides it. */
export const isMissing = (e: unknown) => (e as ApiErr).code === "missing";

/** The ApiErr of a non-2xx answer, from its JSON error body. */
export function errorOf(status: number, body: string, retryAfter: string | null): ApiErr {
  let err: { code?: string; message?: string } = {};
  try {
    err = JSON.parse(body).error || err;
  } catch {
    // not JSON (a proxy's page): the status alone
  }
  const msg = err.message ?? "";
  // A 404 naming no route means this server does not have the feature yet.
  const code = status === 404 && msg.startsWith("no route") ? "missing" : err.code ?? "http";
  return apiErr(status, code, msg, Number(retryAfter));
}
