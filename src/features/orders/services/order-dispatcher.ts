/**
 * Submits queued orders to the ERP, exactly once each.
 *
 * Orders are leased from the store (first in, first out per customer), and each lease counts an
 * attempt. An order in doubt (an earlier attempt may have reached the ERP) is settled before it is
 * sent again; order-attempt.ts says how.
 *
 * The ERP budget and circuit breaker in front of the connector keep the drain within the ERP's
 * limits.
 *
 * @module
 */
import type { Clock } from '../../../ports/clock.ts';
import type { ErpConnector } from '../../../ports/erp-connector.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { OrderStore, StoredOrder } from '../../../ports/order-store.ts';
import type { Job, JobHandle } from '../../../ports/scheduler.ts';
import type { Logger } from '../../../ports/logger.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import { inSpan, SpanAttributes } from '../../../services/tracing.ts';
import { OrderAttempts } from './order-attempt.ts';

export interface OrderDispatcherOptions {
  store: OrderStore;
  /** The guarded connector (budget and breaker in front). */
  erp: ErpConnector;
  clock: Clock;
  metrics: Metrics;
  /** Who holds the leases (unique per process). */
  owner: string;
  /** Orders submitted at once (default 8); the ERP budget bounds the real concurrency. */
  concurrency?: number;
  /** A lease outlives a stuck call by this much (default 30 s). */
  leaseMs?: number;
  /** How often an idle dispatcher looks for due orders (default 250 ms). */
  pollMs?: number;
  /** Exponential backoff between attempts, with jitter: first delay and ceiling (500 ms, 10 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Whether the ERP takes calls right now (the breaker is closed); when not, nobody waits for it. */
  erpAvailable?: () => boolean;
  /**
   * The longest the ERP may keep working on a request it received (ERP_MAX_REQUEST_SECONDS): a
   * request sent this long ago has committed or never will. Default 60 s.
   */
  maxRequestMs?: number;
  /**
   * Added to `maxRequestMs`, and kept free at the end of a lease: covers the moment between the
   * send check and the request leaving, and clock differences between instances. Default 1 s.
   */
  sendGraceMs?: number;
  /** Where state changes (submitted, rejected, retried) are logged, each with its `orderId`. */
  logger: Logger;
}

export class OrderDispatcher {
  readonly #o: Required<OrderDispatcherOptions>;
  readonly #attempts: OrderAttempts;
  #inFlight = 0;
  #handle: JobHandle | null = null;
  /** Until when the breaker said to hold off; meanwhile only one order at a time probes. */
  readonly #pause = { until: 0 };
  #probing = false;
  readonly #waiters = new Map<string, Array<() => void>>();
  readonly #active = new Set<Promise<void>>();

  constructor(options: OrderDispatcherOptions) {
    this.#o = {
      concurrency: 8,
      leaseMs: 30_000,
      pollMs: 250,
      retryBaseMs: 500,
      retryMaxMs: 10_000,
      erpAvailable: () => true,
      maxRequestMs: 60_000,
      sendGraceMs: 1000,
      ...options,
    };
    this.#attempts = new OrderAttempts(this.#o, this.#pause);
  }

  /**
   * The dispatch job: each tick leases the orders due and starts their submissions (up to the
   * concurrency); a finished submission or a newly queued order asks for the next tick at once.
   */
  job(): Job {
    return {
      name: 'order-dispatch',
      intervalMs: this.#o.pollMs,
      tick: () => this.tick(),
      scheduled: (handle) => this.attach(handle),
      drain: () => this.drain(),
    };
  }

  /** Connects `wake` to the scheduler running this dispatcher's job. */
  attach(handle: JobHandle): void {
    this.#handle = handle;
  }

  /** Waits for the submissions under way (after the scheduler stopped leasing). */
  async drain(): Promise<void> {
    await Promise.all(this.#active);
  }

  /** Looks for due orders now (an order was just queued, or replayed). */
  wake(): void {
    this.#handle?.runNow();
  }

  /**
   * Waits until the dispatcher has had a go at this order (submitted, refused, or put back to
   * retry), or `timeoutMs` passed; then the order as it stands.
   */
  async settle(id: string, timeoutMs: number): Promise<StoredOrder | null> {
    // While the ERP is known to be down, the order waits in the queue; the buyer need not.
    if (this.#pause.until > this.#o.clock.now() || !this.#o.erpAvailable()) {
      this.wake();
      return this.#o.store.get(id);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const list = this.#waiters.get(id) ?? [];
      list.push(done);
      this.#waiters.set(id, list);
      this.wake();
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
    return this.#o.store.get(id);
  }

  /** One lease round; resolves to the ms until the next (0 when more orders may be due now). */
  async tick(): Promise<number> {
    const now = this.#o.clock.now();
    const free = this.#o.concurrency - this.#inFlight;
    if (free > 0 && now >= this.#pause.until && !this.#probing) {
      // After the breaker opened, one order goes first to see whether the ERP is back.
      const limit = this.#pause.until > 0 ? 1 : free;
      let leased: StoredOrder[] = [];
      try {
        leased = await this.#o.store.lease(this.#o.owner, { now, limit, leaseMs: this.#o.leaseMs });
      } catch (error) {
        this.#o.logger.error('leasing orders failed', { err: loggableError(error) });
      }
      for (const order of leased) this.#submit(order, now + this.#o.leaseMs);
      if (leased.length > 0 && this.#inFlight < this.#o.concurrency) return 0;
    }
    const pause = Math.max(0, this.#pause.until - this.#o.clock.now());
    return pause > 0 ? Math.min(pause, this.#o.pollMs * 4) : this.#o.pollMs;
  }

  #submit(order: StoredOrder, leaseEnd: number): void {
    this.#inFlight++;
    const probe = this.#pause.until > 0;
    if (probe) this.#probing = true;
    // Each attempt is a trace of its own (root: a tick woken by a request would otherwise make it
    // that request's child), named by the order, as its log lines are.
    const traced = inSpan(
      'order dispatch',
      {
        root: true,
        attributes: { [SpanAttributes.orderId]: order.id, [SpanAttributes.orderAttempt]: order.attempts, 'erpfront.order.in_doubt': order.inDoubt },
      },
      () => this.#attempts.run(order, leaseEnd),
    );
    const task = traced
      .catch((error: unknown) => this.#o.logger.error(`order ${order.id} could not be updated`, { orderId: order.id, err: loggableError(error) }))
      .finally(() => {
        this.#inFlight--;
        if (probe) this.#probing = false;
        this.#active.delete(task);
        for (const resolve of this.#waiters.get(order.id) ?? []) resolve();
        this.#waiters.delete(order.id);
        this.wake();
      });
    this.#active.add(task);
  }
}
