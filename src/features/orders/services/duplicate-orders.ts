/**
 * The last line of exactly-once: finds orders the ERP holds twice.
 *
 * The dispatcher never sends an order in doubt again while an earlier attempt may still be
 * committed (see `order-dispatcher.ts`), so a duplicate needs an ERP that broke its own time
 * limit, or a clock far off. Should one happen anyway, it is found, not silently accepted: every
 * order that was ever in doubt is checked once by its external reference, after the time by which
 * any earlier attempt has committed or never will. Two or more ERP orders with one reference are
 * reported with their numbers, counted (`erpfront_erp_duplicate_orders_total`), and the later ones
 * cancelled in the ERP when the connector can and they have not shipped; the first stands, since
 * it is the number erpfront gave the buyer or will.
 *
 * A first piece of reconciliation: the job that compares erpfront's orders with the ERP's lives here.
 *
 * @module
 */
import type { Clock } from '../../../ports/clock.ts';
import type { ErpConnector, ErpOrder } from '../../../ports/erp-connector.ts';
import { isTransientErpError } from '../../../ports/erp-error.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { OrderStore } from '../../../ports/order-store.ts';

/** What a check found: the order, the ERP number that stands, and each extra entry's fate. */
export interface DuplicateFinding {
  orderId: string;
  customerId: string;
  kept: string;
  duplicates: Array<{ number: string; outcome: 'CANCELLED' | 'NOT_CANCELLABLE' | 'CANCEL_FAILED' }>;
}

export interface DuplicateOrderCheckOptions {
  store: OrderStore;
  /** The guarded connector: checks run at `background` priority. */
  erp: ErpConnector;
  clock: Clock;
  metrics: Pick<Metrics, 'duplicateOrders'>;
  /** Where a finding is reported (a log line). */
  report: (finding: DuplicateFinding) => void;
  /** Checks per tick (default 20). */
  batch?: number;
}

export class DuplicateOrderCheck {
  readonly #o: Required<DuplicateOrderCheckOptions>;

  constructor(options: DuplicateOrderCheckOptions) {
    this.#o = { batch: 20, ...options };
  }

  /** Checks the orders that are due; resolves with what it found. */
  async tick(): Promise<DuplicateFinding[]> {
    const { store, clock } = this.#o;
    const due = await store.dueDuplicateChecks(clock.now(), { limit: this.#o.batch, leaseMs: 60_000 });
    const findings: DuplicateFinding[] = [];
    for (const order of due) {
      try {
        const held = await this.#o.erp.findOrdersByExternalRef(order.id, { priority: 'background' });
        if (held.length > 1) findings.push(await this.#resolve(order.id, order.customerId, held, order.erpOrderNumber));
        await store.finishDuplicateCheck(order.id);
      } catch (error) {
        // The ERP is not answering: the check stays due (its lease runs out) and runs again.
        if (!isTransientErpError(error)) throw error;
      }
    }
    return findings;
  }

  async #resolve(orderId: string, customerId: string, held: ErpOrder[], known: string | null): Promise<DuplicateFinding> {
    // The number erpfront recorded stands; failing that, the oldest entry.
    const kept = held.find((o) => o.number === known) ?? held[0]!;
    const finding: DuplicateFinding = { orderId, customerId, kept: kept.number, duplicates: [] };
    for (const extra of held) {
      if (extra === kept) continue;
      finding.duplicates.push({ number: extra.number, outcome: await this.#cancel(extra) });
    }
    this.#o.metrics.duplicateOrders(finding.duplicates.length);
    this.#o.report(finding);
    return finding;
  }

  async #cancel(order: ErpOrder): Promise<DuplicateFinding['duplicates'][number]['outcome']> {
    const { erp } = this.#o;
    if (!erp.supports('orderCancellation') || order.status === 'CANCELLED') return order.status === 'CANCELLED' ? 'CANCELLED' : 'NOT_CANCELLABLE';
    if (order.status !== 'OPEN' && order.status !== 'ON_HOLD') return 'NOT_CANCELLABLE';
    try {
      const after = await erp.cancelOrder(order.number, { priority: 'background' });
      return after.status === 'CANCELLED' ? 'CANCELLED' : 'NOT_CANCELLABLE';
    } catch {
      return 'CANCEL_FAILED';
    }
  }
}
