/**
 * Delivers webhook events with retries and exponential backoff, in one of two ways:
 * - `queue` (default): Deno KV queues. Events arrive through `kv.listenQueue`; a failed attempt
 *   re-enqueues the event with a `delay`, so retries survive restarts and spread across instances.
 * - `poll`: for KV backends without queues (a self-hosted KV Connect server). Events wait in a KV
 *   outbox ordered by due time; an in-process loop claims due ones with an atomic check (so two
 *   instances never deliver one event at once), delivers, and deletes or reschedules them.
 * Either way delivery is at least once: receivers dedupe by the event id.
 */
import { keys } from "../kv/keys.ts";
import type { Config } from "./config.ts";
import { log } from "./log.ts";
import {
  type AttemptResult,
  deliverOnce,
  logAttempt,
  type OutboxItem,
  QUEUE_KIND,
  type QueuedWebhook,
  retryDelay,
  WEBHOOK_TIMEOUT_MS,
  type WebhookEvent,
} from "./webhooks.ts";

export interface WebhookWorker {
  /** Stops taking work and aborts deliveries in flight (they are retried later). */
  stop(): void;
  /** Settles once the worker is idle; in queue mode, once the KV handle is closed. */
  done: Promise<void>;
}

/** Attempts one delivery and records it; returns when to try again (null: done or given up). */
async function attemptAndLog(
  kv: Deno.Kv,
  cfg: Config,
  event: WebhookEvent,
  attempt: number,
  stop: AbortSignal,
): Promise<{ result: AttemptResult; retryAt: number | null }> {
  const result = await deliverOnce(cfg, event, attempt, stop);
  // Shutting down is not the receiver's fault: leave the event for the next start, uncounted.
  if (stop.aborted) throw new Error("webhook worker stopping");
  const retryAt = result.ok || attempt >= cfg.webhookMaxAttempts
    ? null
    : Date.now() + retryDelay(cfg, attempt + 1);
  await logAttempt(kv, event, result, retryAt);
  if (!result.ok && retryAt === null) {
    log.warn(`webhook ${event.type} ${event.id} failed after ${attempt} attempts`, {
      status: result.status,
      error: result.error,
    });
  }
  return { result, retryAt };
}

function isQueuedWebhook(v: unknown): v is QueuedWebhook {
  return !!v && typeof v === "object" && (v as QueuedWebhook).kind === QUEUE_KIND;
}

function startQueueWorker(kv: Deno.Kv, cfg: Config): WebhookWorker {
  const stop = new AbortController();
  // A handler that throws (only while shutting down) leaves the message for KV to redeliver.
  const done = kv.listenQueue(async (msg: unknown) => {
    if (!isQueuedWebhook(msg)) {
      log.warn("ignoring a queue message that is not a webhook");
      return;
    }
    const { retryAt } = await attemptAndLog(kv, cfg, msg.event, msg.attempt, stop.signal);
    if (retryAt !== null) {
      const next: QueuedWebhook = { ...msg, attempt: msg.attempt + 1 };
      await kv.enqueue(next, { delay: Math.max(0, retryAt - Date.now()) });
    }
  }).catch((e) => {
    if (!stop.signal.aborted) log.error(`webhook queue listener ended: ${e}`);
  });
  return { stop: () => stop.abort(), done };
}

/** How long a claimed outbox item stays hidden from other instances before it is retried. */
const LEASE_MS = WEBHOOK_TIMEOUT_MS * 3;

function startPollWorker(kv: Deno.Kv, cfg: Config): WebhookWorker {
  const stop = new AbortController();
  const every = Math.min(1000, cfg.webhookRetryBaseMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();

  const claimAndDeliver = async (e: Deno.KvEntry<OutboxItem>) => {
    const { event, attempt } = e.value;
    const leased = keys.webhookOutbox(Date.now() + LEASE_MS, event.id);
    const claim = await kv.atomic().check(e).delete(e.key).set(leased, e.value).commit();
    if (!claim.ok) return; // another instance has it
    // If this throws (shutting down), the lease simply runs out and the event is tried again.
    const { retryAt } = await attemptAndLog(kv, cfg, event, attempt, stop.signal);
    const op = kv.atomic().delete(leased);
    if (retryAt !== null) {
      op.set(keys.webhookOutbox(retryAt, event.id), { event, attempt: attempt + 1 });
    }
    await op.commit();
  };

  const tick = async () => {
    try {
      const due: Deno.KvEntry<OutboxItem>[] = [];
      const iter = kv.list<OutboxItem>(
        { prefix: keys.webhookOutboxAll(), end: keys.webhookOutbox(Date.now() + 1, "") },
        { limit: 100 },
      );
      for await (const e of iter) due.push(e);
      await Promise.all(due.map(claimAndDeliver));
    } catch (e) {
      if (!stop.signal.aborted) log.error(`webhook outbox loop: ${e}`);
    }
  };
  const loop = () => {
    if (stop.signal.aborted) return;
    current = tick().then(() => {
      if (!stop.signal.aborted) timer = setTimeout(loop, every);
    });
  };
  loop();
  return {
    stop() {
      stop.abort();
      clearTimeout(timer);
    },
    get done() {
      return current;
    },
  };
}

/** Starts delivering webhooks the configured way. Call once per KV handle (listenQueue is). */
export function startWebhookWorker(kv: Deno.Kv, cfg: Config): WebhookWorker {
  return cfg.webhookDelivery === "poll" ? startPollWorker(kv, cfg) : startQueueWorker(kv, cfg);
}
