/**
 * The change-feed capability of an ERP connector: what changed in the ERP, named thinly (the
 * entity and its keys, never the new values), so erpfront can drop exactly those cache entries.
 *
 * Changes arrive two ways. Push: the ERP (or a relay) delivers them as signed webhooks to
 * `POST /erp/events` (features/changes). Pull: for ERPs without webhooks, a connector that
 * implements {@link ErpChangeFeed} is polled for records changed since a durable cursor. Both
 * carry the same {@link ErpChange}s, and the same invalidation plan acts on them.
 *
 * @module
 */
import type { ErpCallOptions } from '../erp-connector.ts';

/**
 * One change in the ERP. The webhook body is `{"type": T, "data": {...}}` with these types and
 * data (the contract senders rely on):
 * - `item.changed {skus}`: the item master (name, salable, restrictions, and the list price where
 *   the ERP keeps it on the item, as Tryton does);
 * - `stock.changed {skus}`;
 * - `price_list.changed {priceListId, skus?}`: entries of one price list; without `skus`, all;
 * - `contract_price.changed {customerId, skus?}`: one customer's contract prices;
 * - `customer.changed {customerIds}`: accounts, their terms and credit (limit, balance, hold);
 * - `order.changed {externalRefs}`: orders in the ERP (status, shipments, invoices).
 */
export type ErpChange =
  | { type: 'item.changed'; data: { skus: string[] } }
  | { type: 'stock.changed'; data: { skus: string[] } }
  | { type: 'price_list.changed'; data: { priceListId: string; skus?: string[] } }
  | { type: 'contract_price.changed'; data: { customerId: string; skus?: string[] } }
  | { type: 'customer.changed'; data: { customerIds: string[] } }
  | { type: 'order.changed'; data: { externalRefs: string[] } };

export type ErpChangeType = ErpChange['type'];

/** Every change type, in the contract's order. */
export const ERP_CHANGE_TYPES: readonly ErpChangeType[] = [
  'item.changed',
  'stock.changed',
  'price_list.changed',
  'contract_price.changed',
  'customer.changed',
  'order.changed',
];

/** A page of changes and where to go on from. */
export interface ErpChangePage {
  changes: ErpChange[];
  /**
   * Where the next poll starts: opaque to erpfront, stored as it is. Equal to the cursor asked
   * with when nothing changed.
   */
  cursor: string;
  /** True when more changes are waiting past this page (poll again at once). */
  more: boolean;
}

/**
 * A connector whose ERP can be asked what changed (optional: connectors whose ERP pushes
 * webhooks do without). Implemented by the Tryton connector from `write_date`/`create_date`.
 */
export interface ErpChangeFeed {
  /**
   * The cursor to start from when none is stored: "now", so a first start does not replay the
   * ERP's history (the cache is empty then anyway).
   */
  changeCursorNow(options?: ErpCallOptions): Promise<string>;
  /**
   * Changes after `cursor`, oldest first, at most about `limit` records. A record changed again
   * while being read may come twice; never is one missed. Rejects with an ErpError when the ERP
   * does not answer.
   */
  changesSince(cursor: string, limit: number, options?: ErpCallOptions): Promise<ErpChangePage>;
}
