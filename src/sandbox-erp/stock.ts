/**
 * The sandbox's inventory: per item and warehouse on hand, reserved, safety stock and incoming
 * receipts. Receipt dates are kept as days from today and dated when answered, so they stay in
 * the future however long the sandbox runs.
 *
 * @module
 */
import { PINNED_SKUS, type CatalogEntry } from './catalog.ts';
import { rng, type Rng } from './prng.ts';

export const WAREHOUSES = ['EAST', 'WEST', 'CENTRAL'] as const;

export interface SandboxReceipt {
  /** Days after the current UTC date. */
  inDays: number;
  quantity: number;
}

export interface SandboxWarehouseStock {
  code: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  incoming: SandboxReceipt[];
}

export interface SandboxStock {
  sku: string;
  leadTimeDays: number | null;
  warehouses: SandboxWarehouseStock[];
}

/**
 * well: stocked everywhere; low: at or near safety stock; single: only one warehouse has any;
 * incoming: none on hand, receipts due; out: none on hand and nothing due; oversold: a warehouse
 * reserved more than it has (ERPs allow it; ATP must not go negative).
 */
export type StockKind = 'well' | 'low' | 'single' | 'incoming' | 'out' | 'oversold' | 'discontinued';

/** The first catalog page (SKU-00001..SKU-00048) has every kind, in a fixed pattern. */
const FIRST_PAGE_CYCLE: readonly StockKind[] = ['well', 'well', 'low', 'single', 'well', 'incoming', 'well', 'single', 'well', 'low', 'well', 'incoming'];
/** The one item on the first page that nobody has and nobody is bringing in. */
export const OUT_OF_STOCK_SKU = 'SKU-00012';

/** Typical stock size per unit of measure: metres of cable come in thousands, boxes in tens. */
const SCALE: Readonly<Record<string, number>> = { EA: 1, BX: 0.5, PK: 0.6, MTR: 8, KGM: 3, LTR: 4, RO: 0.8, PR: 1.2 };

export function stockKindOf(entry: CatalogEntry, draw: Rng): StockKind {
  if (!entry.item.salable || entry.item.sku === PINNED_SKUS.phasedOut) return 'discontinued';
  if (entry.item.sku === OUT_OF_STOCK_SKU) return 'out';
  if (entry.index <= 48) return FIRST_PAGE_CYCLE[(entry.index - 1) % FIRST_PAGE_CYCLE.length] as StockKind;
  const roll = draw.next();
  if (roll < 0.55) return 'well';
  if (roll < 0.67) return 'low';
  if (roll < 0.77) return 'single';
  if (roll < 0.9) return 'incoming';
  if (roll < 0.98) return 'out';
  return 'oversold';
}

/** Stock for every item, indexed by SKU. */
export function generateStock(seed: number, catalog: readonly CatalogEntry[]): Map<string, SandboxStock> {
  const stock = new Map<string, SandboxStock>();
  for (const entry of catalog) {
    const draw = rng(seed, 'stock', entry.index);
    const kind = stockKindOf(entry, draw);
    const scale = SCALE[entry.item.unitOfMeasure] ?? 1;
    const size = (min: number, max: number) => Math.max(1, Math.round(draw.int(min, max) * scale));
    const lone = draw.int(0, WAREHOUSES.length - 1);
    const warehouses = WAREHOUSES.map((code, w): SandboxWarehouseStock => {
      const row: SandboxWarehouseStock = { code, onHand: 0, reserved: 0, safetyStock: 0, incoming: [] };
      switch (kind) {
        case 'well':
        case 'oversold': {
          row.onHand = size(40, 600);
          row.reserved = Math.round(row.onHand * draw.float(0, 0.2));
          row.safetyStock = Math.round(row.onHand * draw.float(0.03, 0.1));
          if (draw.chance(0.3)) row.incoming.push(receipt(draw, 7, 45, size(50, 300)));
          if (kind === 'oversold' && w === lone) row.reserved = row.onHand + size(5, 40);
          break;
        }
        case 'low': {
          row.safetyStock = size(5, 12);
          row.onHand = draw.int(0, row.safetyStock + 8);
          row.reserved = draw.int(0, Math.min(row.onHand, 3));
          if (draw.chance(0.6)) row.incoming.push(receipt(draw, 3, 20, size(40, 200)));
          break;
        }
        case 'single': {
          if (w !== lone) break;
          row.onHand = size(30, 400);
          row.reserved = Math.round(row.onHand * draw.float(0, 0.15));
          row.safetyStock = Math.round(row.onHand * draw.float(0, 0.05));
          break;
        }
        case 'incoming': {
          row.safetyStock = draw.chance(0.5) ? size(2, 10) : 0;
          if (w === lone || draw.chance(0.3)) {
            row.incoming.push(receipt(draw, 2, 20, size(40, 300)));
            if (draw.chance(0.4)) row.incoming.push(receipt(draw, 21, 45, size(40, 300)));
          }
          break;
        }
        case 'out':
        case 'discontinued':
          break;
      }
      return row;
    });
    stock.set(entry.item.sku, {
      sku: entry.item.sku,
      leadTimeDays: kind === 'discontinued' ? null : kind === 'out' ? draw.int(30, 90) : draw.int(3, 45),
      warehouses,
    });
  }
  return stock;
}

function receipt(draw: Rng, minDays: number, maxDays: number, quantity: number): SandboxReceipt {
  return { inDays: draw.int(minDays, maxDays), quantity };
}
