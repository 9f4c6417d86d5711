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
 * Each one is also kept as a reconciliation finding (`DUPLICATE_IN_ERP`, see
 * `features/reconciliation/`), resolved at once when every extra entry was cancelled and left
 * open for operations otherwise (reconciliation resolves it once the ERP holds one live entry).
 *
 * @module
 */
import type { Clock } from '../../../ports/clock.ts';
import type { ErpConnector, ErpOrder } from '../../../ports/erp-connector.ts';
import { isTransientErpError } from '../../../ports/erp-error.ts';
import type { FindingStore } from '../../../ports/finding-store.ts';
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
  metrics: Pick<Metrics, 'duplicateOrders' | 'findingOpened'>;
  /** Where a finding is reported (a log line). */
  report: (finding: DuplicateFinding) => void;
  /** Where findings are kept for operations (reconciliation's store); none: the log only. */
  findings?: FindingStore | null;
  /** Checks per tick (default 20). */
  batch?: number;
}

/** What became of an extra entry, in words for operations. */
const FATES: Readonly<Record<DuplicateFinding['duplicates'][number]['outcome'], string>> = {
  CANCELLED: 'cancelled by erpfront',
  NOT_CANCELLABLE: 'could not be cancelled (shipped, or the ERP cannot cancel): cancel or credit it in the ERP',
  CANCEL_FAILED: 'failed to cancel: cancel it in the ERP',
};

export class DuplicateOrderCheck {
  readonly #o: Required<DuplicateOrderCheckOptions>;

  constructor(options: DuplicateOrderCheckOptions) {
    this.#o = { batch: 20, findings: null, ...options };
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
    await this.#keep(finding, held.length);
    return finding;
  }

  /** Kept as a `DUPLICATE_IN_ERP` finding; resolved at once when nothing is left to do. */
  async #keep(finding: DuplicateFinding, entries: number): Promise<void> {
    const { findings, clock, metrics } = this.#o;
    if (!findings) return;
    const now = clock.now();
    const fates = finding.duplicates.map((d) => `${d.number} ${FATES[d.outcome]}`).join(', ');
    const { opened } = await findings.report(
      {
        kind: 'DUPLICATE_IN_ERP',
        orderId: finding.orderId,
        customerId: finding.customerId,
        erpOrderNumber: finding.kept,
        differences: [{ field: 'erpOrders', sku: null, erpfront: '1', erp: String(entries) }],
        detail: `The ERP held ${entries} orders with this reference: ${finding.kept} stands; ${fates}.`,
      },
      now,
    );
    if (opened) metrics.findingOpened('DUPLICATE_IN_ERP');
    if (finding.duplicates.every((d) => d.outcome === 'CANCELLED')) await findings.resolve('DUPLICATE_IN_ERP', finding.orderId, now);
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
