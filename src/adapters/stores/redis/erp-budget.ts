/**
 * The ERP budget shared by every instance, on Redis: a token bucket (the rate) and a semaphore
 * with leases (the concurrency), both decided by Lua scripts on Redis's clock (see
 * `budget-scripts.ts`). Implements the {@link ErpBudget} contract, like the in-process budget.
 *
 * Each instance keeps its own waiting lines (strict priority, FIFO within one) and asks Redis for
 * one permit at a time, for the head of its most urgent line; instances publish which priorities
 * they have waiting, so an order waiting on one instance goes before reads on all the others.
 * A release publishes on the budget's channel, so waiters everywhere try again at once (and poll
 * every `pollMs` in case a message was missed).
 *
 * Permits are leased: held ones are renewed by a heartbeat, so the permits of an instance that
 * crashed expire after `leaseMs` instead of shrinking the ERP's allowance for ever.
 *
 * While Redis is unreachable, each instance falls back to an in-process budget holding its share
 * of the limits (divided by the number of instances last seen alive): the ERP stays protected,
 * and reads keep being served.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { ErpBudget, ErpBudgetSnapshot, ErpPermit } from '../../../ports/erp-budget.ts';
import type { ErpPriority } from '../../../ports/erp-connector.ts';
import { createMemoryErpBudget } from '../memory/erp-budget.ts';
import { PriorityLines, type Waiter } from '../priority-lines.ts';
import { acquireScript, heartbeatScript, pauseScript, releaseScript, unwaitScript } from './budget-scripts.ts';

export interface RedisErpBudgetOptions {
  /** Commands. */
  client: Redis;
  /** A connection in subscriber mode (shared with other subscribers is fine). */
  subscriber: Redis;
  /** The budget's key base (`keys.budget(name)`): every instance talking to one ERP uses the same. */
  base: string;
  /** Unique per process. */
  instanceId: string;
  requestsPerSecond: number;
  maxConcurrent: number;
  /** Bucket capacity (default one second's worth, at least 1). */
  burst?: number;
  /** How long a permit outlives its holder's last heartbeat (default 15 s; renewed every third). */
  leaseMs?: number;
  /** Retry interval while waiting for a release (default 50 ms). */
  pollMs?: number;
}

export interface RedisErpBudget extends ErpBudget {
  /** Stops heartbeats and listening; permits still held expire with their leases. */
  close(): Promise<void>;
}

const PRIORITY_INDEX: Record<ErpPriority, number> = { order: 0, status: 1, read: 2, background: 3 };

/** Creates the shared budget and starts its heartbeat. */
export function createRedisErpBudget(options: RedisErpBudgetOptions): RedisErpBudget {
  const { client, subscriber, base, instanceId } = options;
  const rate = options.requestsPerSecond;
  const maxConcurrent = options.maxConcurrent;
  if (!(rate > 0) || !Number.isInteger(maxConcurrent) || maxConcurrent <= 0) {
    throw new TypeError(`ERP budget: requestsPerSecond must be positive and maxConcurrent a positive integer, but got: ${rate}, ${maxConcurrent}`);
  }
  const capacity = Math.max(1, options.burst ?? rate);
  const leaseMs = options.leaseMs ?? 15_000;
  const pollMs = options.pollMs ?? 50;
  const channel = `${base}released`;

  const lines = new PriorityLines();
  const held = new Set<string>();
  let inFlight = 0;
  let pausedUntil: number | null = null;
  let permitSeq = 0;
  let pumping = false;
  let again = false;
  let wakeTimer: ReturnType<typeof setTimeout> | null = null;
  let wakeAt = Infinity;
  let instances = 1;
  /** The in-process stand-in while Redis is unreachable; dropped once it is back. */
  let fallback: ErpBudget | null = null;
  let closed = false;

  const onMessage = (from: string) => {
    if (from === channel) pump();
  };
  subscriber.on('message', onMessage);
  void subscriber.subscribe(channel).catch(() => {});

  const heartbeat = () =>
    heartbeatScript.run(client, [base], [leaseMs, instanceId, Math.round(leaseMs / 3), ...held]).then(
      (count) => void (instances = Math.max(1, Number(count))),
      () => {},
    );
  void heartbeat();
  const heartbeatTimer = setInterval(heartbeat, Math.max(100, Math.round(leaseMs / 3)));
  heartbeatTimer.unref?.();

  function wakeIn(ms: number): void {
    const at = Date.now() + Math.max(1, ms);
    if (wakeTimer !== null && wakeAt <= at) return;
    if (wakeTimer !== null) clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = setTimeout(() => {
      wakeTimer = null;
      wakeAt = Infinity;
      pump();
    }, at - Date.now());
  }

  /** Serves the head waiter, one Redis round trip at a time, until Redis says to wait. */
  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      for (;;) {
        again = false;
        const waiter = lines.head();
        if (!waiter || closed) return;
        if (pausedUntil !== null && Date.now() < pausedUntil) return wakeIn(pausedUntil - Date.now());
        pausedUntil = null;
        if (client.status !== 'ready') {
          viaFallback(waiter);
          continue;
        }
        const id = `${instanceId}:${++permitSeq}`;
        const othersWaiting = lines.size(waiter.priority) > 1 ? '1' : '0';
        let reply: [number, number];
        try {
          reply = (await acquireScript.run(
            client,
            [base],
            [id, PRIORITY_INDEX[waiter.priority], rate, capacity, maxConcurrent, leaseMs, instanceId, othersWaiting],
          )) as [number, number];
        } catch {
          viaFallback(waiter);
          continue;
        }
        if (reply[0] === 1) {
          if (!lines.take(waiter)) {
            // The caller left while Redis granted it: give the permit straight back.
            void releaseScript.run(client, [base], [id]).catch(() => {});
            continue;
          }
          inFlight += 1;
          held.add(id);
          waiter.resolve(sharedPermit(id));
          continue;
        }
        wakeIn(reply[1] >= 0 ? reply[1] : pollMs);
        if (!again) return;
      }
    } finally {
      pumping = false;
    }
  }

  /** Redis is unreachable: this waiter takes a permit from this instance's share instead. */
  function viaFallback(waiter: Waiter): void {
    if (!lines.take(waiter)) return;
    if (!fallback) {
      const share = Math.max(1, instances);
      console.warn(`erpfront: ERP budget falls back to this instance's share (1/${share}) while Redis is unreachable`);
      fallback = createMemoryErpBudget({
        requestsPerSecond: rate / share,
        maxConcurrent: Math.max(1, Math.floor(maxConcurrent / share)),
        burst: Math.max(1, capacity / share),
      });
      // Back on the shared budget as soon as Redis is.
      client.once('ready', () => (fallback = null));
    }
    inFlight += 1;
    fallback.acquire(waiter.priority, waiter.signal).then(
      (permit) => waiter.resolve(localPermit(permit)),
      (reason: unknown) => {
        inFlight -= 1;
        waiter.reject(reason);
      },
    );
  }

  function localPermit(inner: ErpPermit): ErpPermit {
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        inFlight -= 1;
        inner.release();
        void pump();
      },
    };
  }

  function sharedPermit(id: string): ErpPermit {
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        inFlight -= 1;
        held.delete(id);
        // Sent before the next acquire on the same connection, so this instance's next waiter
        // sees the freed slot. If Redis is gone, the lease frees it.
        void releaseScript.run(client, [base], [id]).catch(() => {});
        void pump();
      },
    };
  }

  return {
    acquire(priority, signal) {
      const granted = lines.join(priority, signal, (lineEmpty) => {
        // Other instances hold their reads back for this line: tell them it is gone.
        if (lineEmpty) void unwaitScript.run(client, [base], [instanceId, PRIORITY_INDEX[priority]]).catch(() => {});
        void pump();
      });
      void pump();
      return granted;
    },

    pauseFor(ms) {
      if (!(ms > 0)) return;
      const until = Date.now() + ms;
      if (pausedUntil === null || pausedUntil < until) pausedUntil = until;
      // Every instance holds its grants too: the pause lives in Redis.
      void pauseScript.run(client, [base], [Math.ceil(ms)]).catch(() => {});
      void pump();
    },

    snapshot(): ErpBudgetSnapshot {
      return {
        inFlight,
        waiting: lines.waiting(),
        pausedUntil: pausedUntil !== null && pausedUntil > Date.now() ? pausedUntil : null,
      };
    },

    async close() {
      closed = true;
      clearInterval(heartbeatTimer);
      if (wakeTimer !== null) clearTimeout(wakeTimer);
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(channel).catch(() => {});
    },
  };
}
