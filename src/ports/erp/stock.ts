/**
 * Capability `stock`: stock per warehouse, receipts due and the replenishment lead time.
 *
 * @module
 */
import type { ErpCallOptions, IsoDate } from '../erp-connector.ts';

export interface IncomingReceipt {
  /** Expected arrival date. */
  date: IsoDate;
  quantity: number;
}

export interface WarehouseStock {
  code: string;
  onHand: number;
  /** Allocated to open orders. */
  reserved: number;
  /** Kept back for emergencies; never promised. */
  safetyStock: number;
  /** Expected receipts, by date. */
  incoming: IncomingReceipt[];
}

/** Stock of one SKU across the warehouses, with its replenishment lead time. */
export interface StockRecord {
  sku: string;
  /** Days to replenish from the supplier; `null` when the item is not replenished any more. */
  leadTimeDays: number | null;
  warehouses: WarehouseStock[];
}

/** Reads stock. */
export interface ErpStock {
  /** One record or one `ERP_NOT_FOUND` error per SKU, in the SKUs' order. */
  getStock(skus: readonly string[], options?: ErpCallOptions): Promise<Array<StockRecord | Error>>;
}
