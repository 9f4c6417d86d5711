/**
 * Available to promise (ATP): what a buyer may be promised, per warehouse and in total, and when.
 *
 * ATP is never "one number": each warehouse has on hand, reserved and safety stock, and receipts
 * on their way. Pure: the stock record and today's date come in, nothing here does I/O.
 *
 * @module
 */
import type { IncomingReceipt, IsoDate, StockRecord } from '../../ports/erp-connector.ts';
import { addDays, laterOf } from './calendar.ts';

/** The buyer-friendly band of an availability answer. */
export type StockBand = 'IN_STOCK' | 'LOW_STOCK' | 'BACKORDER' | 'OUT_OF_STOCK';

export interface WarehouseAvailability {
  code: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  /** On hand − reserved − safety stock, never below zero. */
  available: number;
  incoming: IncomingReceipt[];
  /** When this warehouse alone could ship the requested quantity; `null` when it cannot. */
  promiseDate: IsoDate | null;
}

/** Part of the requested quantity, from one source, on one date. */
export interface Allocation {
  warehouse: string;
  quantity: number;
  date: IsoDate;
  /** `STOCK` ships from what is there, `INCOMING` from a receipt, `REPLENISHMENT` after the lead time. */
  source: 'STOCK' | 'INCOMING' | 'REPLENISHMENT';
}

export interface Availability {
  status: StockBand;
  /** The requested quantity. */
  quantity: number;
  /** ATP now, over every warehouse. */
  available: number;
  /** The date the whole quantity can ship; `null` when it cannot be promised at all. */
  promiseDate: IsoDate | null;
  leadTimeDays: number | null;
  warehouses: WarehouseAvailability[];
  /** How the promise is met; empty when there is no promise. */
  allocations: Allocation[];
}

export interface AvailabilityOptions {
  /** Today, UTC. */
  today: IsoDate;
  /** Whether one order line may ship from several warehouses (default true). */
  allowSplit?: boolean;
}

/** Computes ATP, the band and the promise date for `quantity` of one SKU. */
export function computeAvailability(stock: StockRecord, quantity: number, options: AvailabilityOptions): Availability {
  const { today } = options;
  // A receipt whose date has passed without arriving is late: promise it for tomorrow at the
  // earliest rather than for a day that is already gone.
  const earliestReceipt = addDays(today, 1);
  const warehouses = stock.warehouses.map((w) => {
    const incoming = w.incoming
      .map((r) => ({ date: laterOf(r.date, earliestReceipt), quantity: r.quantity }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return {
      code: w.code,
      onHand: w.onHand,
      reserved: w.reserved,
      safetyStock: w.safetyStock,
      available: Math.max(0, w.onHand - w.reserved - w.safetyStock),
      incoming,
    };
  });
  const replenishDate = stock.leadTimeDays === null ? null : addDays(today, stock.leadTimeDays);
  const perWarehouse = warehouses.map((w) => ({
    ...w,
    promiseDate: allocate([w], quantity, today, replenishDate)?.date ?? null,
  }));

  const plan =
    options.allowSplit === false ? bestSingleWarehouse(perWarehouse, quantity, today, replenishDate) : allocate(warehouses, quantity, today, replenishDate);

  const available = warehouses.reduce((total, w) => total + w.available, 0);
  const safety = warehouses.reduce((total, w) => total + w.safetyStock, 0);
  return {
    status: band(available, quantity, safety, plan !== null),
    quantity,
    available,
    promiseDate: plan?.date ?? null,
    leadTimeDays: stock.leadTimeDays,
    warehouses: perWarehouse,
    allocations: plan?.allocations ?? [],
  };
}

/**
 * IN_STOCK and LOW_STOCK ship now; LOW_STOCK when what remains after this quantity falls below the
 * item's safety stock, or to nothing. BACKORDER ships later; OUT_OF_STOCK cannot be promised.
 */
function band(available: number, quantity: number, safetyStock: number, promisable: boolean): StockBand {
  if (available >= quantity) {
    const remaining = available - quantity;
    return remaining <= 0 || remaining < safetyStock ? 'LOW_STOCK' : 'IN_STOCK';
  }
  return promisable ? 'BACKORDER' : 'OUT_OF_STOCK';
}

interface Plan {
  date: IsoDate;
  allocations: Allocation[];
}

type Source = Pick<WarehouseAvailability, 'code' | 'available' | 'incoming'>;

/**
 * Fills `quantity` from stock on hand (largest warehouse first, to split as little as possible),
 * then from receipts in date order, then from replenishment after the lead time. The promise date
 * is the date of the last allocation.
 */
function allocate(sources: ReadonlyArray<Source>, quantity: number, today: IsoDate, replenishDate: IsoDate | null): Plan | null {
  const allocations: Allocation[] = [];
  let remaining = quantity;
  const take = (warehouse: string, amount: number, date: IsoDate, source: Allocation['source']) => {
    const used = Math.min(amount, remaining);
    if (used <= 0) return;
    allocations.push({ warehouse, quantity: used, date, source });
    remaining -= used;
  };

  for (const w of [...sources].sort((a, b) => b.available - a.available)) take(w.code, w.available, today, 'STOCK');
  const receipts = sources
    .flatMap((w) => w.incoming.map((r) => ({ warehouse: w.code, ...r })))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const r of receipts) take(r.warehouse, r.quantity, r.date, 'INCOMING');
  if (remaining > 0) {
    // Replenishment is ordered for the warehouse with the most stock movement, i.e. the first.
    if (replenishDate === null || sources.length === 0) return null;
    take(sources[0]!.code, remaining, replenishDate, 'REPLENISHMENT');
  }
  const date = allocations.reduce<IsoDate>((latest, a) => laterOf(latest, a.date), today);
  return { date, allocations };
}

function bestSingleWarehouse(warehouses: ReadonlyArray<WarehouseAvailability>, quantity: number, today: IsoDate, replenishDate: IsoDate | null): Plan | null {
  let best: Plan | null = null;
  for (const w of warehouses) {
    const plan = allocate([w], quantity, today, replenishDate);
    if (plan && (best === null || plan.date < best.date)) best = plan;
  }
  return best;
}
