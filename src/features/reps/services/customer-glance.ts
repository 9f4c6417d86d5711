/**
 * One of a rep's customers at a glance, computed from what the ERP answers (accounts, open-order
 * summaries, unpaid invoices: each read for a whole page in one batched call, through the
 * request's reader and the cache) and what erpfront itself holds (orders not in the ERP's figures
 * yet, orders awaiting approval: read from the order store, no ERP call).
 *
 * @module
 */
import type { CreditStatus } from '../../../domain/credit/credit-status.ts';
import { utcDate } from '../../../domain/atp/calendar.ts';
import { Big, money, type Money } from '../../../domain/money.ts';
import type { CustomerOpenInvoices, OpenOrderSummary } from '../../../ports/erp-connector.ts';
import type { OrderStore, StoredOrder } from '../../../ports/order-store.ts';
import type { Cached } from '../../../services/read-through-cache.ts';

/** Orders of a customer waiting in erpfront, read at most this many. */
const WAITING_SCAN = 500;
/** Recently submitted orders looked at: those the ERP's summary may not show yet are a handful. */
const SUBMITTED_SCAN = 50;

/** What erpfront holds of a customer's orders that the ERP's figures may not show. */
export interface LocalOrders {
  /** QUEUED, ON_HOLD, PENDING_APPROVAL. */
  waiting: StoredOrder[];
  /** SUBMITTED, newest first (a few). */
  submitted: StoredOrder[];
}

export async function readLocalOrders(store: OrderStore, customerId: string): Promise<LocalOrders> {
  const [waiting, submitted] = await Promise.all([
    store.listByCustomer(customerId, { statuses: ['QUEUED', 'ON_HOLD', 'PENDING_APPROVAL'], limit: WAITING_SCAN }),
    store.listByCustomer(customerId, { statuses: ['SUBMITTED'], limit: SUBMITTED_SCAN }),
  ]);
  return { waiting, submitted };
}

export type CreditState = 'OK' | 'OVER_LIMIT' | 'ON_HOLD';

/** Hold first (nothing on account goes through), then over the limit. */
export function creditState(credit: CreditStatus): CreditState {
  if (credit.onHold) return 'ON_HOLD';
  return new Big(credit.overLimit.amount).gt(0) ? 'OVER_LIMIT' : 'OK';
}

export interface OpenOrdersGlance {
  count: number;
  total: Money;
  inErpfront: number;
  asOf: string;
  stale: boolean;
}

/**
 * The ERP's open orders plus erpfront's on their way: queued or held for a credit review, and
 * submitted after the ERP's summary was read (so an order does not vanish between erpfront's
 * queue and the ERP's next summary). Orders awaiting approval are counted apart.
 */
export function openOrdersGlance(summary: Cached<OpenOrderSummary>, local: LocalOrders | null): OpenOrdersGlance {
  const since = summary.asOf;
  const mine = local
    ? [...local.waiting.filter((o) => o.status === 'QUEUED' || o.status === 'ON_HOLD'), ...local.submitted.filter((o) => (o.submittedAt ?? '') > since)]
    : [];
  const total = mine.reduce((sum, o) => sum.plus(o.total), new Big(summary.value.total));
  return {
    count: summary.value.count + mine.length,
    total: money(total, summary.value.currency),
    inErpfront: mine.length,
    asOf: summary.asOf,
    stale: summary.stale,
  };
}

export function awaitingApprovalGlance(local: LocalOrders): { count: number; total: Money | null } {
  const pending = local.waiting.filter((o) => o.status === 'PENDING_APPROVAL');
  if (pending.length === 0) return { count: 0, total: null };
  const total = pending.reduce((sum, o) => sum.plus(o.total), new Big(0));
  return { count: pending.length, total: money(total, pending[0]!.currency) };
}

export interface OverdueGlance {
  count: number;
  amount: Money;
  oldestDueDate: string | null;
  openCount: number;
  openAmount: Money;
  asOf: string;
  stale: boolean;
}

/**
 * Unpaid invoices (credit memos are not owed) past their due date as of `now`'s UTC day: decided
 * here, not by the ERP, so a cached list is still right after midnight.
 */
export function overdueGlance(open: Cached<CustomerOpenInvoices>, currency: string, now: number): OverdueGlance {
  const today = utcDate(now);
  const owed = open.value.invoices.filter((i) => i.kind === 'INVOICE' && !i.paid);
  const overdue = owed.filter((i) => i.dueDate < today);
  const sum = (list: typeof owed) =>
    money(
      list.reduce((s, i) => s.plus(i.total), new Big(0)),
      currency,
    );
  return {
    count: overdue.length,
    amount: sum(overdue),
    oldestDueDate: overdue.map((i) => i.dueDate).sort()[0] ?? null,
    openCount: owed.length,
    openAmount: sum(owed),
    asOf: open.asOf,
    stale: open.stale,
  };
}
