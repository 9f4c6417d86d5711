/**
 * The price sheet's status, as operations read it (GraphQL services, `/metrics`, the ops
 * console): kept in the shared cursor store by the instance that runs the sheet, so every
 * instance answers with the same figures.
 *
 * @module
 */
import type { CursorStore } from '../../ports/cursor-store.ts';

/** What `priceSheet.status()` answers. */
export interface PriceSheetStatus {
  /** Active customers whose prices the sheet keeps. */
  customers: number;
  /** Items in the catalog the sheet walks. */
  items: number;
  /** Share of (active customer, item) pairs the sheet can price while the ERP is down, 0 to 1. */
  coverageRatio: number;
  /** When the oldest price the sheet holds was fetched (UTC ISO 8601); `null` while it holds none. */
  oldestAsOf: string | null;
  /** That price's age in seconds, now; `null` while the sheet holds none. */
  ageSeconds: number | null;
  /** When the sheet last worked (UTC ISO 8601); `null` before it ever did (or while it is off). */
  lastRunAt: string | null;
}

/** The figures the running instance stores after each tick. */
export interface SheetSummary {
  customers: number;
  items: number;
  covered: number;
  /** Epoch ms, or `null`. */
  oldest: number | null;
  /** Epoch ms. */
  lastRunAt: number;
}

/** The sheet's entry in the cursor store. */
export const SHEET_STATUS = 'price-sheet-status';

export const EMPTY_STATUS: PriceSheetStatus = { customers: 0, items: 0, coverageRatio: 0, oldestAsOf: null, ageSeconds: null, lastRunAt: null };

/** The status a summary stands for at `now`. */
export function statusOf(summary: SheetSummary, now: number): PriceSheetStatus {
  const pairs = summary.customers * summary.items;
  return {
    customers: summary.customers,
    items: summary.items,
    // Batches are counted as last walked: with fewer customers since, a batch may count more pairs.
    coverageRatio: pairs === 0 ? 0 : Math.min(1, summary.covered / pairs),
    oldestAsOf: summary.oldest === null ? null : new Date(summary.oldest).toISOString(),
    ageSeconds: summary.oldest === null ? null : Math.max(0, (now - summary.oldest) / 1000),
    lastRunAt: new Date(summary.lastRunAt).toISOString(),
  };
}

/** The status stored by the instance running the sheet; empty before it stored one. */
export async function readStatus(cursors: CursorStore, now: number): Promise<PriceSheetStatus> {
  const stored = await cursors.get(SHEET_STATUS);
  return stored === null ? EMPTY_STATUS : statusOf(JSON.parse(stored) as SheetSummary, now);
}
