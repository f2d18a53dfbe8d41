/**
 * Webhooks: events for the site's backend (`message.sent`, `message.read`, `complaint.created`),
 * POSTed as JSON `{type, id, created_at, data}` to PARLEY_WEBHOOK_URL and signed
 * `X-Parley-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. An event is put
 * into the same atomic as the change it reports, so it exists exactly when the change does; the
 * worker (services/webhooks/worker.ts) delivers it with retries.
 */
import type { Complaint } from "../../kv/moderation/complaints.ts";
import { keys } from "../../kv/keys.ts";
import { publicMessage } from "../../kv/messaging/messages.ts";
import type { Message } from "../../kv/types.ts";
import type { Config } from "../core/config.ts";
import { hmacHex, hmacKey } from "../core/crypto.ts";
import { ulid } from "../core/ids.ts";

export type WebhookType = "message.sent" | "message.read" | "complaint.created";

/** The JSON body the site receives. */
export interface WebhookEvent {
  type: WebhookType;
  id: string;
  created_at: string;
  data: unknown;
}

/** What a KV queue message carries (queue delivery). */
export interface QueuedWebhook {
  kind: typeof QUEUE_KIND;
  event: WebhookEvent;
  attempt: number;
}

/** What the outbox holds (poll delivery, for KV backends without queues). */
export interface OutboxItem {
  event: WebhookEvent;
  attempt: number;
}

export const QUEUE_KIND = "parley.webhook";
/** How long one delivery may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Retries never wait longer than this, however many came before. */
export const MAX_RETRY_DELAY_MS = 3_600_000;
/** Attempts kept per event in the delivery log. */
export const LOG_ATTEMPTS = 10;
/** How long the delivery log remembers an event. */
export const LOG_TTL_MS = 7 * 86_400_000;

/**
 * Adds a webhook event to `op` (a no-op when no webhook URL is configured). Call it inside the
 * atomic that makes the change, e.g. from sendMessage's `also` hook, so the event is stored
 * exactly when the change commits.
 */
export function enqueueWebhook(
  op: Deno.AtomicOperation,
  cfg: Config,
  type: WebhookType,
  data: unknown,
): Deno.AtomicOperation {
  if (!cfg.webhookUrl) return op;
  const now = Date.now();
  const event: WebhookEvent = {
    type,
    id: ulid(now),
    created_at: new Date(now).toISOString(),
    data,
  };
  if (cfg.webhookDelivery === "poll") {
    const item: OutboxItem = { event, attempt: 1 };
    return op.set(keys.webhookOutbox(now, event.id), item);
  }
  const msg: QueuedWebhook = { kind: QUEUE_KIND, event, attempt: 1 };
  return op.enqueue(msg);
}

/** sendMessage's `also` hook that reports the message as `message.sent` (undefined when off). */
export function onMessageSent(cfg: Config) {
  if (!cfg.webhookUrl) return undefined;
  return (op: Deno.AtomicOperation, msg: Message) => {
    enqueueWebhook(op, cfg, "message.sent", publicMessage(msg));
  };
}

/** markRead's `also` hook that reports the read receipt as `message.read` (undefined when off). */
export function onMessageRead(cfg: Config) {
  if (!cfg.webhookUrl) return undefined;
  return (op: Deno.AtomicOperation, read: unknown) => {
    enqueueWebhook(op, cfg, "message.read", read);
  };
}

/** createComplaint's `also` hook: `complaint.created` (undefined when webhooks are off). */
export function onComplaintCreated(cfg: Config) {
  if (!cfg.webhookUrl) return undefined;
  return (op: Deno.AtomicOperation, c: Complaint) => {
    const { id, reporter, target, message_id, reason, text, created_at } = c;
    enqueueWebhook(op, cfg, "complaint.created", {
      id,
      reporter,
      target,
      message_id,
      reason,
      text,
      created_at,
    });
  };
}

/** Delay before attempt `next` (2, 3, ...): base, 2×base, 4×base..., capped at an hour. */
export function retryDelay(cfg: Config, next: number): number {
  return Math.min(cfg.webhookRetryBaseMs * 2 ** (next - 2), MAX_RETRY_DELAY_MS);
}

let signer: { secret: string; key: Promise<CryptoKey> } | null = null;

/** The X-Parley-Signature value for `body` sent at unix time `t`. */
export async function signWebhook(secret: string, t: number, body: string): Promise<string> {
  if (signer?.secret !== secret) signer = { secret, key: hmacKey(secret) };
  return `t=${t},v1=${await hmacHex(await signer.key, `${t}.${body}`)}`;
}

export interface AttemptResult {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; null when there was no answer (refused, timeout, DNS). */
  status: number | null;
  ok: boolean;
  error?: string;
  duration_ms: number;
}

/** POSTs one event once. Any 2xx is success; anything else, or no answer, is a failure. */
export async function deliverOnce(
  cfg: Config,
  event: WebhookEvent,
  attempt: number,
  stop?: AbortSignal,
): Promise<AttemptResult> {
  const started = Date.now();
  const body = JSON.stringify(event);
  const secret = (cfg.webhookSecret ?? cfg.apiSecret)!;
  const signature = await signWebhook(secret, Math.floor(started / 1000), body);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), WEBHOOK_TIMEOUT_MS);
  const onStop = () => abort.abort();
  stop?.addEventListener("abort", onStop);
  const done = (r: Omit<AttemptResult, "attempt" | "at" | "duration_ms">): AttemptResult => ({
    attempt,
    at: new Date(started).toISOString(),
    ...r,
    duration_ms: Date.now() - started,
  });
  try {
    const res = await fetch(cfg.webhookUrl!, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Parley-Webhook/1",
        "x-parley-signature": signature,
        "x-parley-event": event.type,
        "x-parley-delivery": event.id,
        "x-parley-attempt": String(attempt),
      },
      body,
      signal: abort.signal,
    });
    await res.body?.cancel();
    return res.ok
      ? done({ status: res.status, ok: true })
      : done({ status: res.status, ok: false, error: `HTTP ${res.status}` });
  } catch (e) {
    const error = abort.signal.aborted
      ? (stop?.aborted ? "stopped" : `no answer in ${WEBHOOK_TIMEOUT_MS} ms`)
      : (e as Error).message.slice(0, 200);
    return done({ status: null, ok: false, error });
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener("abort", onStop);
  }
}

/** One event's entry in the delivery log. */
export interface DeliveryLog {
  id: string;
  type: WebhookType;
  created_at: string;
  state: "delivered" | "retrying" | "failed";
  attempts: AttemptResult[];
  next_attempt_at: string | null;
}

/** Records an attempt in the event's log entry (keeps its last LOG_ATTEMPTS attempts). */
export async function logAttempt(
  kv: Deno.Kv,
  event: WebhookEvent,
  result: AttemptResult,
  nextAt: number | null,
): Promise<void> {
  const key = keys.webhookLog(event.id);
  const prev = (await kv.get<DeliveryLog>(key)).value;
  const entry: DeliveryLog = {
    id: event.id,
    type: event.type,
    created_at: event.created_at,
    state: result.ok ? "delivered" : nextAt === null ? "failed" : "retrying",
    attempts: [...(prev?.attempts ?? []), result].slice(-LOG_ATTEMPTS),
    next_attempt_at: nextAt === null ? null : new Date(nextAt).toISOString(),
  };
  await kv.set(key, entry, { expireIn: LOG_TTL_MS });
}

/** The delivery log, newest event first; `cursor` continues after a previous page. */
export async function listDeliveries(
  kv: Deno.Kv,
  opts: { limit: number; cursor?: string; state?: DeliveryLog["state"] },
): Promise<{ deliveries: DeliveryLog[]; next_cursor: string | null }> {
  const prefix = keys.webhookLogs();
  const iter = kv.list<DeliveryLog>(
    opts.cursor ? { prefix, end: keys.webhookLog(opts.cursor) } : { prefix },
    { reverse: true },
  );
  const deliveries: DeliveryLog[] = [];
  let next: string | null = null;
  for await (const e of iter) {
    if (opts.state && e.value.state !== opts.state) continue;
    if (deliveries.length === opts.limit) {
      next = deliveries[deliveries.length - 1].id;
      break;
    }
    deliveries.push(e.value);
  }
  return { deliveries, next_cursor: next };
}
