/**
 * One attempt at submitting a leased order to the ERP, exactly once: the doubt an earlier attempt
 * left is settled before the order is sent again, and the outcome (submitted, rejected, another
 * attempt later) is recorded. The dispatcher (order-dispatcher.ts) decides which orders go and when.
 *
 * An order in doubt (an earlier attempt may have reached the ERP: a timeout, a lost
 * reply, a `kill -9` mid-call) is settled before it is sent again:
 *
 * - An ERP that refuses a second order with one external reference
 *   (`refusesDuplicateExternalRef`) settles it itself: the order is sent again, and a duplicate
 *   refusal means the first attempt got there.
 * - Otherwise the order is looked up by its external reference. Found: it is in the ERP. Not
 *   found is trusted only once no earlier attempt can still commit: a timeout only stops erpfront
 *   from waiting, and the ERP goes on working on the request for up to its own time limit
 *   (`maxRequestMs`, ERP_MAX_REQUEST_SECONDS) after it was sent. Until that has passed since the
 *   order's `sentBefore`, the order waits (still `QUEUED`) and is looked up again then. A holder
 *   never sends past its lease (`sendBy`) and records that it is about to send (`markSending`),
 *   so for a holder that died mid-send the end of its lease bounds its last send, across crashes
 *   and instances, and an order a dead holder never began to send is not in doubt at all. An attempt the ERP itself answered with an error
 *   (`ErpError.answered`: its 500 or 503, as during maintenance) is over: it leaves the order in
 *   doubt but sets no wait, so orders refused during an outage go as soon as the ERP is back.
 * - A connector that resumes an entry by its reference (`resumesOrderEntry`, Tryton) is called
 *   again once the bound has passed (or when the lookup found the entry), so an entry cut short is
 *   completed rather than taken as final.
 *
 * @module
 */
import { ErpError } from '../../../ports/erp-error.ts';
import { erpErrorClass } from '../../../ports/erp/error-classes.ts';
import type { StoredOrder } from '../../../ports/order-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import { loggableError, withoutAddresses } from '../../../domain/loggable-error.ts';
import { annotateActiveSpan, SpanAttributes } from '../../../services/tracing.ts';
import type { OrderDispatcherOptions } from './order-dispatcher.ts';

/** What a failed attempt means for the order, after the `ErpError` table. */
function classify(error: unknown): { rejected: boolean; delivered: 'no' | 'maybe'; pauseMs: number } {
  if (error instanceof ErpError) {
    const { order, pausesOrders } = erpErrorClass(error.code);
    if (order === 'rejected') return { rejected: true, delivered: 'no', pauseMs: 0 };
    // Never sent: the breaker refused it, the ERP's gateway turned it away before processing, or
    // the connection was refused (the request never left erpfront).
    if (order === 'unsent' || error.unsent) return { rejected: false, delivered: 'no', pauseMs: pausesOrders ? (error.retryAfterMs ?? 1000) : 0 };
  }
  // A timeout, a reset, a 5xx, an unreadable reply: the ERP may have committed it.
  return { rejected: false, delivered: 'maybe', pauseMs: 0 };
}

/** Runs the dispatcher's attempts; `pause.until` is shared with it (the breaker's hold-off). */
export class OrderAttempts {
  readonly #o: Required<OrderDispatcherOptions>;
  readonly #pause: { until: number };

  constructor(options: Required<OrderDispatcherOptions>, pause: { until: number }) {
    this.#o = options;
    this.#pause = pause;
  }

  /** Settles the order's doubt, sends it within the lease (ending at `leaseEnd`) and records the outcome. */
  async run(order: StoredOrder, leaseEnd: number): Promise<void> {
    const { store, erp, clock, metrics } = this.#o;
    // Every line of this attempt, its ERP calls included, names the order.
    const log = this.#o.logger.child({ orderId: order.id });
    let inDoubt = order.inDoubt;
    let sent = false;
    try {
      if (inDoubt && !erp.refusesDuplicateExternalRef) {
        // Until then an attempt sent earlier may still be committed by the ERP.
        const settledAt = order.sentBefore === null ? 0 : order.sentBefore + this.#o.maxRequestMs + this.#o.sendGraceMs;
        const settled = clock.now() >= settledAt;
        // Past the bound, a connector that resumes entries settles the doubt in createOrder itself.
        if (!(settled && erp.resumesOrderEntry)) {
          const existing = await erp.findOrderByExternalRef(order.id, { priority: 'order', log });
          if (existing && !erp.resumesOrderEntry) return await this.#submitted(order, existing.number, log);
          if (!existing && !settled) {
            // Not there yet, but the last attempt may still commit: look again once it cannot.
            metrics.orderOutcome('AWAITING_ERP_BOUND');
            annotateActiveSpan({ [SpanAttributes.orderStatus]: 'QUEUED', 'erpfront.order.awaiting_erp_bound': true });
            await store.markRetry(
              order.id,
              {
                error: 'Waiting for the ERP to finish (or abandon) an earlier attempt before sending again',
                nextAttemptAt: settledAt,
                inDoubt: true,
                owner: this.#o.owner,
              },
              clock.now(),
            );
            log.info('order waits for an earlier attempt to settle', {
              status: 'QUEUED',
              attempts: order.attempts,
              nextAttemptAt: new Date(settledAt).toISOString(),
            });
            return;
          }
          // Found and resumable (Tryton completes the entry), or not there and no attempt can still commit.
          if (!existing) inDoubt = false;
        }
      }
      // Recorded before the send: should this process die mid-call, whoever takes the order over
      // knows it may be in the ERP (else it knows it is not, and sends it at once).
      if (!(await store.markSending(order.id, this.#o.owner, leaseEnd))) return;
      sent = true;
      // Never sent past the lease: for everybody else the lease's end bounds this attempt's send.
      const created = await this.#create(order, leaseEnd, log);
      await this.#submitted(order, created.number, log);
    } catch (error) {
      const verdict = classify(error);
      // Stored as the order's lastError / rejection and shown to operations: the ERP's words, not its address.
      const message = withoutAddresses(error instanceof Error ? error.message : String(error));
      if (verdict.rejected) {
        const reason = (error as ErpError).reason ?? 'REJECTED';
        await store.markRejected(order.id, { reason, message }, clock.now());
        metrics.orderOutcome('REJECTED');
        annotateActiveSpan({ [SpanAttributes.orderStatus]: 'REJECTED', 'erpfront.order.reason': reason });
        log.warn('order rejected by the ERP', { status: 'REJECTED', reason, attempts: order.attempts, err: loggableError(error) });
        return;
      }
      const now = clock.now();
      if (verdict.pauseMs > 0) this.#pause.until = now + verdict.pauseMs;
      // Circuit-open refusals never reached the ERP: no backoff of their own, the pause covers it.
      const delay = verdict.pauseMs > 0 ? 0 : this.#backoff(order.attempts);
      const maybeSent = sent && verdict.delivered === 'maybe';
      // The ERP's own error answer ends its request: in doubt, but nothing can commit later.
      const stillRunning = maybeSent && !(error instanceof ErpError && error.answered);
      await store.markRetry(
        order.id,
        {
          error: message,
          nextAttemptAt: now + delay,
          inDoubt: inDoubt || maybeSent,
          // The attempt is over: whatever it sent, it sent before now.
          ...(stillRunning ? { sentBefore: Math.min(now, leaseEnd) } : {}),
          owner: this.#o.owner,
        },
        now,
      );
      annotateActiveSpan({
        [SpanAttributes.orderStatus]: 'QUEUED',
        'erpfront.order.in_doubt': inDoubt || maybeSent,
        'error.type': error instanceof ErpError ? error.code : 'error',
      });
      log.info('order queued for another attempt', {
        status: 'QUEUED',
        attempts: order.attempts,
        inDoubt: inDoubt || maybeSent,
        retryInMs: delay,
        err: loggableError(error),
      });
    }
  }

  /**
   * Sends the order, within the lease. An ERP with its own duplicate check answers a resend with
   * `ERP_DUPLICATE_REF`: the earlier attempt got there, and its number is looked up.
   */
  async #create(order: StoredOrder, leaseEnd: number, log: Logger): Promise<{ number: string }> {
    const { erp } = this.#o;
    try {
      return await erp.createOrder(order.request, { priority: 'order', sendBy: leaseEnd - this.#o.sendGraceMs, log });
    } catch (error) {
      if (!(error instanceof ErpError && error.code === 'ERP_DUPLICATE_REF')) throw error;
      const existing = await erp.findOrderByExternalRef(order.id, { priority: 'order', log });
      if (!existing)
        throw new ErpError('ERP_UNAVAILABLE', `createOrder: the ERP refused ${order.id} as a duplicate but does not find it by reference yet`, {
          cause: error,
          operation: 'createOrder',
        });
      return existing;
    }
  }

  async #submitted(order: StoredOrder, erpOrderNumber: string, log: Logger): Promise<void> {
    const now = this.#o.clock.now();
    // An order that was in doubt is checked for a second entry. Only an ERP that overran its own
    // time limit can have made one, so the check waits one more such limit past the bound, and
    // catches an ERP that overran it by up to as much again.
    const check =
      order.sentBefore !== null && !this.#o.erp.refusesDuplicateExternalRef
        ? { checkDuplicatesAt: Math.max(now, order.sentBefore + this.#o.maxRequestMs + this.#o.sendGraceMs) + this.#o.maxRequestMs }
        : undefined;
    await this.#o.store.markSubmitted(order.id, erpOrderNumber, now, check);
    this.#pause.until = 0;
    this.#o.metrics.orderOutcome('SUBMITTED');
    annotateActiveSpan({ [SpanAttributes.orderStatus]: 'SUBMITTED' });
    log.info('order submitted to the ERP', { status: 'SUBMITTED', erpOrderNumber, attempts: order.attempts });
  }

  /** Exponential backoff with jitter (half to full), so retries of many orders do not align. */
  #backoff(attempts: number): number {
    const ceiling = Math.min(this.#o.retryMaxMs, this.#o.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}
