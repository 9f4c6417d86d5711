/**
 * One reconciliation run: erpfront's orders of the last days compared with the ERP, by external
 * reference, and what differs kept as findings.
 *
 * - Every order erpfront holds as `SUBMITTED` placed within the window is looked up in the ERP
 *   (`findOrdersByExternalRef`, at the budget's `background` priority, a few at a time). One
 *   submitted within the ERP's request limit is left to the next run: the ERP may not list it yet.
 * - None there: `MISSING_IN_ERP`, and the order goes back to the queue *in doubt*
 *   (`requeueInDoubt`), so the dispatcher's exactly-once rules apply as after any attempt without
 *   a verdict: it looks the order up again before sending, waits until no earlier attempt can
 *   still commit (or lets an ERP that refuses duplicate references decide), and only then sends.
 *   A "not found" that was only the ERP being slow never makes a second order.
 * - There but different: `LINES_DIFFER` / `TOTAL_DIFFERS` with the differences; more than one
 *   live entry: `DUPLICATE_IN_ERP` (see `order-drift.ts`).
 * - A lookup the ERP did not answer leaves that order's findings as they were, for the next run;
 *   it never counts as "missing".
 * - Findings no longer seen are resolved. Orders with open findings outside the window are looked
 *   at too, so a finding never stays open only because its order aged out. An order queued again
 *   keeps its `MISSING_IN_ERP` open until a run finds it in the ERP.
 * - Statuses: erpfront keeps no ERP status of its own (`SUBMITTED` means "in the ERP"; views read
 *   the ERP's status live), so a status that moved on in the ERP needs no update here.
 *
 * @module
 */
import { loggableError } from '../../domain/loggable-error.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector, ErpOrder } from '../../ports/erp-connector.ts';
import { ErpError } from '../../ports/erp-error.ts';
import type { FindingKind, FindingReport, FindingStore, ReconciliationRunRecord } from '../../ports/finding-store.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { OrderStore, StoredOrder } from '../../ports/order-store.ts';
import { driftOf, type Drift } from './order-drift.ts';

export interface ReconcilerOptions {
  store: OrderStore;
  findings: FindingStore;
  /** The guarded connector: lookups wait for the budget at `background` priority. */
  erp: ErpConnector;
  clock: Clock;
  metrics: Pick<Metrics, 'findingOpened' | 'ordersRequeued'>;
  logger: Logger;
  /** How far back orders are compared (RECONCILE_DAYS). */
  windowMs: number;
  /** Orders submitted more recently are left to the next run (ERP_MAX_REQUEST_SECONDS). */
  settleMs: number;
  /** Told of each order queued again (wakes the dispatcher). */
  onRequeued?: (orderId: string) => void;
  /** Called between pages of orders (renews the run's lease); `false` stops the run. */
  keepGoing?: () => Promise<boolean>;
  /** ERP lookups at once (default 4); the budget decides how fast they really go. */
  concurrency?: number;
  /** Orders read from the store at once (default 200). */
  pageSize?: number;
  /** How long resolved findings are kept (default 30 days). */
  keepResolvedMs?: number;
}

interface Tally {
  checked: number;
  unchecked: number;
  opened: number;
  resolved: number;
  requeued: string[];
}

/** The run stopped before it had seen every order (its lease was lost to another instance). */
export class ReconciliationInterruptedError extends Error {
  override readonly name = 'ReconciliationInterruptedError';
}

export class Reconciler {
  readonly #o: Required<Omit<ReconcilerOptions, 'onRequeued'>> & Pick<ReconcilerOptions, 'onRequeued'>;

  constructor(options: ReconcilerOptions) {
    this.#o = { concurrency: 4, pageSize: 200, keepResolvedMs: 30 * 86_400_000, keepGoing: async () => true, ...options };
  }

  /** Runs once, start to end; resolves with what it did. */
  async run(): Promise<ReconciliationRunRecord> {
    const { store, findings, clock } = this.#o;
    const startedAt = clock.now();
    const tally: Tally = { checked: 0, unchecked: 0, opened: 0, resolved: 0, requeued: [] };
    const open = new Map<string, Set<FindingKind>>();
    for (const finding of await findings.listOpen()) open.set(finding.orderId, (open.get(finding.orderId) ?? new Set()).add(finding.kind));

    const seen = new Set<string>();
    const since = startedAt - this.#o.windowMs;
    for (let beforeSeq: number | undefined; ; ) {
      const page = await store.listRecent('SUBMITTED', { since, beforeSeq, limit: this.#o.pageSize });
      for (const order of page) seen.add(order.id);
      await eachLimited(page, this.#o.concurrency, (order) => this.#check(order, startedAt, open, tally));
      if (page.length < this.#o.pageSize) break;
      beforeSeq = page.at(-1)!.seq;
      if (!(await this.#o.keepGoing())) throw new ReconciliationInterruptedError('Reconciliation stopped: another instance took its lease over');
    }
    // Open findings of orders the window did not cover (older, or no longer SUBMITTED).
    for (const [orderId, kinds] of open) {
      if (seen.has(orderId)) continue;
      const order = await store.get(orderId);
      if (order?.status === 'SUBMITTED') await this.#check(order, startedAt, open, tally);
      // Queued again: it stays missing until a run finds it in the ERP; nothing else applies to it.
      else if (order?.status === 'QUEUED')
        await this.#resolve(
          orderId,
          [...kinds].filter((k) => k !== 'MISSING_IN_ERP'),
          tally,
        );
      // Cancelled, refused (a dead letter, which operations see), or gone: nothing left to compare.
      else await this.#resolve(orderId, [...kinds], tally);
    }
    await findings.purgeResolved(startedAt - this.#o.keepResolvedMs);
    return {
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(clock.now()).toISOString(),
      ordersChecked: tally.checked,
      ordersUnchecked: tally.unchecked,
      findingsOpened: tally.opened,
      findingsResolved: tally.resolved,
      requeued: tally.requeued,
    };
  }

  async #check(order: StoredOrder, startedAt: number, open: Map<string, Set<FindingKind>>, tally: Tally): Promise<void> {
    if (order.submittedAt !== null && Date.parse(order.submittedAt) > startedAt - this.#o.settleMs) return;
    const log = this.#o.logger.child({ orderId: order.id });
    let held: ErpOrder[];
    try {
      held = await this.#o.erp.findOrdersByExternalRef(order.id, { priority: 'background', log });
    } catch (error) {
      if (!(error instanceof ErpError)) throw error;
      // Not answered (down, slow, over its limits): unknown, never "missing". Next run.
      tally.unchecked++;
      if (!error.transient) log.warn('reconciliation could not look the order up in the ERP', { err: loggableError(error) });
      return;
    }
    tally.checked++;
    const drift = held.length === 0 ? [missing(order)] : driftOf(order, held);
    const before = open.get(order.id) ?? new Set<FindingKind>();
    for (const each of drift) await this.#report(order, each, tally, log);
    await this.#resolve(
      order.id,
      [...before].filter((kind) => !drift.some((d) => d.kind === kind)),
      tally,
    );
    // Reported first: should the store fail now, the next run still finds the order missing.
    if (held.length === 0) await this.#requeue(order, tally, log);
  }

  async #report(order: StoredOrder, drift: Drift, tally: Tally, log: Logger): Promise<void> {
    const report: FindingReport = { ...drift, orderId: order.id, customerId: order.customerId };
    const { opened } = await this.#o.findings.report(report, this.#o.clock.now());
    if (!opened) return;
    tally.opened++;
    this.#o.metrics.findingOpened(drift.kind);
    log.warn(`reconciliation found ${drift.kind}`, {
      kind: drift.kind,
      customerId: order.customerId,
      erpOrderNumber: drift.erpOrderNumber,
      differences: drift.differences,
    });
  }

  async #resolve(orderId: string, kinds: readonly FindingKind[], tally: Tally): Promise<void> {
    for (const kind of kinds) {
      if (!(await this.#o.findings.resolve(kind, orderId, this.#o.clock.now()))) continue;
      tally.resolved++;
      this.#o.logger.info(`reconciliation resolved ${kind}`, { orderId, kind });
    }
  }

  async #requeue(order: StoredOrder, tally: Tally, log: Logger): Promise<void> {
    const reason = `The ERP no longer holds this order (it had number ${order.erpOrderNumber ?? 'unknown'}); queued to be sent again once it is certain the ERP does not have it`;
    const again = await this.#o.store.requeueInDoubt(order.id, this.#o.clock.now(), reason);
    if (!again) return;
    tally.requeued.push(order.id);
    this.#o.metrics.ordersRequeued(1);
    log.warn('order the ERP no longer holds queued again', { status: 'QUEUED', customerId: order.customerId, erpOrderNumber: order.erpOrderNumber });
    this.#o.onRequeued?.(order.id);
  }
}

/** The drift of an order the ERP holds no entry of. */
function missing(order: StoredOrder): Drift {
  const number = order.erpOrderNumber ?? 'without a number';
  return {
    kind: 'MISSING_IN_ERP',
    erpOrderNumber: order.erpOrderNumber,
    differences: [{ field: 'erpOrders', sku: null, erpfront: '1', erp: '0' }],
    detail:
      `The ERP took this order (${number}, submitted ${order.submittedAt ?? 'earlier'}) but holds no order with its reference any more. ` +
      'erpfront queued it again: it looks the order up once more before sending, so the ERP gets it once.',
  };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
