/**
 * Request counters of the sandbox ERP, so tests can prove what erpfront asked of the ERP: how many
 * calls per operation (batching works when a page costs one `getPrices`), how many were turned
 * away, and how many ran at once (throttling works when `maxInFlight` stays under the budget).
 *
 * @module
 */

export const OPERATIONS = [
  'getItems',
  'searchItems',
  'getCustomers',
  'getSalesReps',
  'createCustomer',
  'findCustomerByExternalRef',
  'getPrices',
  'getStock',
  'ping',
  'createOrder',
  'findOrderByExternalRef',
  'listOrders',
  'cancelOrder',
  'createQuote',
  'findQuoteByExternalRef',
  'getQuotes',
  'respondToQuote',
  'createReturn',
  'findReturnByExternalRef',
  'getReturns',
  'quoteTotals',
  'getOpenOrderSummaries',
  'getOpenInvoices',
  'getInvoices',
  'getInvoiceDocument',
] as const;

/** An ERP operation, named as the port's method that calls it. */
export type Operation = (typeof OPERATIONS)[number];

/** Why a request was turned away: maintenance, a simulated failure, a gateway limit, or the ERP's own time limit. */
export type RejectionKind = 'outage' | 'error' | 'rateLimited' | 'timeLimit';

export interface StatsSnapshot {
  /** Every API request that arrived, including those the faults rejected. */
  total: number;
  byOperation: Record<Operation, number>;
  rejected: Record<RejectionKind, number>;
  inFlight: number;
  maxInFlight: number;
}

export interface Stats {
  /** Counts an arriving API request; `null` for a path that is no operation (a 404). */
  arrived(operation: Operation | null): void;
  rejected(kind: RejectionKind): void;
  /** A request was admitted and is now being served. */
  enter(): void;
  leave(): void;
  readonly inFlight: number;
  snapshot(): StatsSnapshot;
  /** Zeroes the counters; requests being served stay in flight. */
  reset(): void;
}

export function createStats(): Stats {
  let total = 0;
  let byOperation = zeroes(OPERATIONS);
  let rejected = zeroes(['outage', 'error', 'rateLimited', 'timeLimit'] as const);
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    arrived(operation) {
      total++;
      if (operation) byOperation[operation]++;
    },
    rejected(kind) {
      rejected[kind]++;
    },
    enter() {
      inFlight++;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
    },
    leave() {
      inFlight--;
    },
    get inFlight() {
      return inFlight;
    },
    snapshot() {
      return { total, byOperation: { ...byOperation }, rejected: { ...rejected }, inFlight, maxInFlight };
    },
    reset() {
      total = 0;
      byOperation = zeroes(OPERATIONS);
      rejected = zeroes(['outage', 'error', 'rateLimited', 'timeLimit'] as const);
      maxInFlight = inFlight;
    },
  };
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}
