/**
 * The finding store port: what reconciliation found wrong between erpfront's orders and the ERP's,
 * kept with when it was first seen and when it went away, and when reconciliation last ran.
 *
 * A finding is one kind of drift on one order. While the drift lasts, the finding stays open and
 * every run that sees it again updates it (its detail, `lastSeenAt`); `firstSeenAt` stays. Once a
 * run no longer sees it, it is resolved and kept for the record (until purged); should the same
 * drift come back later, a new finding opens. So at most one finding per kind and order is open.
 *
 * Embedded: a SQLite file under DATA_DIR. Scale-out: Redis, shared by every instance (one runs
 * reconciliation at a time; the duplicate check runs on all). Memory (Workers, tests): this
 * process only. Every adapter runs `test/contract/finding-store.contract.ts`.
 *
 * @module
 */

/**
 * What went wrong:
 * - `MISSING_IN_ERP`: erpfront submitted the order and the ERP answered for it, but the ERP holds
 *   no order with its reference any more (it was deleted there, or lost): it is queued again.
 * - `LINES_DIFFER`: the ERP's order has other lines, quantities, unit prices or units than erpfront
 *   submitted (and so, usually, another total).
 * - `TOTAL_DIFFERS`: the lines agree, the total (or currency) does not.
 * - `DUPLICATE_IN_ERP`: the ERP holds more than one live order with the order's reference.
 */
export type FindingKind = 'MISSING_IN_ERP' | 'LINES_DIFFER' | 'TOTAL_DIFFERS' | 'DUPLICATE_IN_ERP';

export const FINDING_KINDS: readonly FindingKind[] = ['MISSING_IN_ERP', 'LINES_DIFFER', 'TOTAL_DIFFERS', 'DUPLICATE_IN_ERP'];

/** One difference between the order erpfront submitted and the ERP's, as values in words. */
export interface FindingDifference {
  /** What differs: `line` (a line on one side only), `quantity`, `unitPrice`, `unitOfMeasure`, `total`, `currency`, `erpOrders`. */
  field: string;
  /** The line's SKU, for a line's difference. */
  sku: string | null;
  /** erpfront's value; `null` when erpfront has none (a line only the ERP has). */
  erpfront: string | null;
  /** The ERP's value; `null` when the ERP has none (a line it lost, an order it lost). */
  erp: string | null;
}

/** What a run (or the duplicate check) saw on one order. */
export interface FindingReport {
  kind: FindingKind;
  /** erpfront's order id (the ERP's external reference). */
  orderId: string;
  customerId: string;
  /** The ERP's number of the order concerned, when there is one. */
  erpOrderNumber: string | null;
  /** One or two sentences for operations: what is wrong and what erpfront did about it. */
  detail: string;
  differences: FindingDifference[];
}

export interface Finding extends FindingReport {
  /** Stable for the life of the finding: `<kind>:<orderId>:<first seen, epoch ms>`. */
  id: string;
  /** UTC ISO 8601. */
  firstSeenAt: string;
  lastSeenAt: string;
  /** `null` while open. */
  resolvedAt: string | null;
}

/** What one reconciliation run did. */
export interface ReconciliationRunRecord {
  /** UTC ISO 8601. */
  startedAt: string;
  finishedAt: string;
  /** Orders compared with the ERP. */
  ordersChecked: number;
  /** Orders the ERP did not answer for this time: their findings stay as they were, until the next run. */
  ordersUnchecked: number;
  findingsOpened: number;
  findingsResolved: number;
  /** Orders queued again because the ERP no longer held them. */
  requeued: string[];
}

export interface FindingStore {
  /**
   * Records drift seen at `now`: updates the open finding of this kind and order (detail,
   * differences, `lastSeenAt`), or opens one. `opened` says which.
   */
  report(report: FindingReport, now: number): Promise<{ finding: Finding; opened: boolean }>;
  /** Resolves the open finding of this kind and order at `now`; `null` when none is open. */
  resolve(kind: FindingKind, orderId: string, now: number): Promise<Finding | null>;
  /** Every open finding, first seen first. */
  listOpen(): Promise<Finding[]>;
  /**
   * Findings for operations: open ones (first seen first), then resolved ones (last resolved
   * first); `open` true or false for only one of the two. At most `limit`.
   */
  list(options: { open?: boolean; limit: number }): Promise<Finding[]>;
  /** How many findings are open, by kind (every kind present, 0 when none). */
  openCounts(): Promise<Record<FindingKind, number>>;
  /** Forgets findings resolved before `before` (epoch ms); how many. */
  purgeResolved(before: number): Promise<number>;
  /** Keeps the record of the run that just ended (the last one only). */
  recordRun(run: ReconciliationRunRecord): Promise<void>;
  /** The last run's record; `null` before the first. */
  lastRun(): Promise<ReconciliationRunRecord | null>;
  close(): Promise<void>;
}

/** The id of a finding that opened at `firstSeen` (epoch ms). */
export function findingId(kind: FindingKind, orderId: string, firstSeen: number): string {
  return `${kind}:${orderId}:${firstSeen}`;
}

/** Zero for every kind: the shape `openCounts` answers in. */
export function noFindings(): Record<FindingKind, number> {
  return { MISSING_IN_ERP: 0, LINES_DIFFER: 0, TOTAL_DIFFERS: 0, DUPLICATE_IN_ERP: 0 };
}
