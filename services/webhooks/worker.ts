/**
 * Delivers webhook events with retries and exponential backoff, in one of two ways:
 * - `queue` (default): Deno KV queues. Events arrive through `kv.listenQueue`; a failed attempt
 *   re-enqueues the event with a `delay`, so retries survive restarts and spread across instances.
 * - `poll`: for KV backends without queues (a self-hosted KV Connect server). Events wait in a KV
 *   outbox ordered by due time; an in-process loop claims due ones with an atomic check (so two
 *   instances never deliver one event at once), delivers, and deletes or reschedules them.
 * Either way delivery is at least once: receivers dedupe by the event id.
 */
import { keys } from "../../kv/keys.ts";
import type { Config } from "../core/config.ts";
import { log } from "../core/log.ts";
import {
  deliverOnce,
  logAttempt,
  type OutboxItem,
  QUEUE_KIND,
  type QueuedWebhook,
  retryDelay,
  WEBHOOK_TIMEOUT_MS,
  type WebhookEvent,
} from "./events.ts";

export interface WebhookWorker {
  /** Stops taking work, aborts deliveries in flight (kept for later, uncounted), waits for them. */
  stop(): Promise<void>;
  /** Settles when the worker has ended; in queue mode, once the KV handle is closed. */
  done: Promise<void>;
}

/** When an interrupted or refused-while-stopping event is tried again (after a restart). */
const RESUME_DELAY_MS = 1000;
/** How long a claimed outbox item stays hidden from other instances before it is retried. */
const LEASE_MS = WEBHOOK_TIMEOUT_MS * 3;

/**
 * Attempts one delivery and records it. Returns when to try again (null: delivered or given
 * up), or "stopped" when shutdown interrupted it: not the receiver's fault, so not logged.
 */
async function attemptAndLog(
  kv: Deno.Kv,
  cfg: Config,
  event: WebhookEvent,
  attempt: number,
  stop: AbortSignal,
): Promise<number | null | "stopped"> {
  if (stop.aborted) return "stopped";
  const result = await deliverOnce(cfg, event, attempt, stop);
  if (stop.aborted && !result.ok) return "stopped";
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
  return retryAt;
}

/** Counts running deliveries so shutdown can wait for them before KV closes. */
function tracker() {
  let running = 0;
  const idle: (() => void)[] = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      running++;
      try {
        return await work();
      } finally {
        if (--running === 0) { for (const f of idle.splice(0)) f(); }
      }
    },
    idle(): Promise<void> {
      return running === 0 ? Promise.resolve() : new Promise((r) => idle.push(r));
    },
  };
}

function isQueuedWebhook(v: unknown): v is QueuedWebhook {
  return !!v && typeof v === "object" && (v as QueuedWebhook).kind === QUEUE_KIND;
}

function startQueueWorker(kv: Deno.Kv, cfg: Config): WebhookWorker {
  const stop = new AbortController();
  const work = tracker();
  const done = kv.listenQueue((msg: unknown) =>
    work.run(async () => {
      if (!isQueuedWebhook(msg)) {
        log.warn("ignoring a queue message that is not a webhook");
        return;
      }
      const next = await attemptAndLog(kv, cfg, msg.event, msg.attempt, stop.signal);
      if (next === null) return;
      const again: QueuedWebhook = next === "stopped" ? msg : { ...msg, attempt: msg.attempt + 1 };
      const delay = next === "stopped" ? RESUME_DELAY_MS : Math.max(0, next - Date.now());
      await kv.enqueue(again, { delay });
    })
  ).catch((e) => {
    if (!stop.signal.aborted) log.error(`webhook queue listener ended: ${e}`);
  });
  return {
    async stop() {
      stop.abort();
      await work.idle();
    },
    done,
  };
}

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
    const next = await attemptAndLog(kv, cfg, event, attempt, stop.signal);
    // Checked, so an item erased meanwhile (its user deleted) is not brought back.
    const op = kv.atomic().check({ key: leased, versionstamp: claim.versionstamp })
      .delete(leased);
    if (next === "stopped") {
      op.set(keys.webhookOutbox(Date.now() + RESUME_DELAY_MS, event.id), e.value);
    } else if (next !== null) {
      op.set(keys.webhookOutbox(next, event.id), { event, attempt: attempt + 1 });
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
      log.error(`webhook outbox loop: ${e}`);
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
    async stop() {
      stop.abort();
      clearTimeout(timer);
      await current;
    },
    done: Promise.resolve(),
  };
}

/** Starts delivering webhooks the configured way. Call once per KV handle (listenQueue is). */
export function startWebhookWorker(kv: Deno.Kv, cfg: Config): WebhookWorker {
  return cfg.webhookDelivery === "poll" ? startPollWorker(kv, cfg) : startQueueWorker(kv, cfg);
}
