/**
 * The sandbox's change webhooks: every change made through `POST /__control/changes` is delivered
 * to a configured URL as a Standard Webhooks request (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<HMAC-SHA256>`), as ERPs and their integration platforms send them.
 *
 * Delivery is at least once, as real senders do it: a delivery that does not get a 2xx is tried
 * again after a back-off (0.5 s, doubling, at most 30 s) up to `maxAttempts` times, each attempt
 * signed anew with its own timestamp and the same `webhook-id` (so the receiver de-duplicates).
 * The queue of undelivered events is bounded: when it is full, changes are refused (503) rather
 * than applied and never announced. Web standards only (fetch, timers), like the sandbox app.
 *
 * @module
 */
import { Webhook } from 'standardwebhooks';

/** Where events go: erpfront's `POST /erp/events` and the secret it verifies with. */
export interface WebhookTarget {
  url: string;
  /** `whsec_…` */
  secret: string;
}

/** A change event, as erpfront's webhook contract names it. */
export interface ChangeEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface WebhookSenderOptions {
  /** Read at every attempt, so a target can be set after start (`npm start` does); `null`: none. */
  target: () => WebhookTarget | null;
  fetch?: typeof fetch;
  /** Epoch ms. @default Date.now */
  now?: () => number;
  /** Undelivered events kept at most. @default 1000 */
  maxQueue?: number;
  /** Attempts per event, the first included. @default 8 */
  maxAttempts?: number;
  /** Wait before attempt `n + 1` after `n` failed. @default 500 ms doubling, at most 30 s */
  backoffMs?: (failedAttempts: number) => number;
  /** How long one attempt may take. @default 5000 */
  timeoutMs?: number;
}

/** What `GET /__control/webhooks` shows. */
export interface WebhookStatus {
  configured: boolean;
  /** Events not delivered yet (being tried, or waiting to be tried again). */
  queued: number;
  delivered: number;
  /** Events given up on after every attempt failed. */
  failed: number;
  attempts: number;
  /** The most recent attempt. */
  last: { id: string; type: string; attempt: number; status: number | null; error: string | null; at: string } | null;
}

export interface WebhookSender {
  /** Whether an event can be taken now (a target is set and the queue has room). */
  canSend(): { ok: true } | { ok: false; reason: string };
  /** Queues `event` for delivery; its `webhook-id`, or `null` when no target is set. */
  send(event: ChangeEvent): string | null;
  status(): WebhookStatus;
  /** Stops retrying (pending events are dropped); deliveries under way finish. */
  close(): void;
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const maxQueue = options.maxQueue ?? 1000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoffMs ?? ((n: number) => Math.min(30_000, 500 * 2 ** (n - 1)));
  const timeoutMs = options.timeoutMs ?? 5000;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let queued = 0;
  let closed = false;
  const status: Omit<WebhookStatus, 'configured' | 'queued'> = { delivered: 0, failed: 0, attempts: 0, last: null };

  async function attempt(id: string, event: ChangeEvent, body: string, n: number): Promise<void> {
    const target = options.target();
    let code: number | null = null;
    let error: string | null = null;
    if (target) {
      const sentAt = now();
      try {
        const response = await fetchImpl(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(sentAt / 1000)),
            'webhook-signature': new Webhook(target.secret).sign(id, new Date(sentAt), body),
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        code = response.status;
        await response.body?.cancel().catch(() => {});
      } catch (e) {
        error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
    } else {
      error = 'no webhook target set';
    }
    status.attempts++;
    status.last = { id, type: event.type, attempt: n, status: code, error, at: new Date(now()).toISOString() };
    if (code !== null && code >= 200 && code < 300) {
      status.delivered++;
      queued--;
      return;
    }
    if (n >= maxAttempts || closed) {
      status.failed++;
      queued--;
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      void attempt(id, event, body, n + 1);
    }, backoff(n));
    // A pending retry does not keep a Node process alive (a test's or `npm start`'s exit).
    (timer as { unref?: () => void }).unref?.();
    timers.add(timer);
  }

  return {
    canSend() {
      if (!options.target()) return { ok: true };
      if (queued >= maxQueue) return { ok: false, reason: `the webhook queue is full (${queued} events not delivered yet to ${options.target()!.url})` };
      return { ok: true };
    },
    send(event) {
      if (!options.target() || closed) return null;
      const id = `msg_${crypto.randomUUID().replaceAll('-', '')}`;
      const body = JSON.stringify({ type: event.type, timestamp: new Date(now()).toISOString(), data: event.data });
      queued++;
      void attempt(id, event, body, 1);
      return id;
    },
    status: () => ({ configured: options.target() !== null, queued, ...status }),
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      queued -= timers.size;
      status.failed += timers.size;
      timers.clear();
    },
  };
}
