/**
 * The sandbox's changeable data: the generated data set (immutable, shared by every sandbox with
 * the same seed) with this sandbox's own changes laid over it: prices, stock on hand and credit
 * limits set through `POST /__control/changes`. The API and the order book read the data set
 * through this layer, so a changed price is what the ERP answers and a changed limit is what its
 * credit check uses. `reset` drops the changes: the data set as generated.
 *
 * @module
 */
import type { CustomerAccount, DecimalString, Item, PriceEntry, PriceKey, StockRecord } from '../ports/erp-connector.ts';
import type { DataSet } from './data-set.ts';
import { priceKey } from './pricing.ts';

export interface LiveData {
  /** The data set with the changes applied. */
  readonly data: DataSet;
  /** Sets the price of `key` to one unit price from quantity 1 (its quantity breaks replaced). */
  setPrice(key: PriceKey, currency: string, unitPrice: DecimalString): PriceEntry;
  /** Sets what a warehouse has on hand of a SKU (a count, a receipt, a write-off). */
  setOnHand(sku: string, warehouse: string, onHand: number): void;
  /** Discontinues an item (`salable: false`), or sells it again. */
  setSalable(sku: string, salable: boolean): void;
  /** Sets a customer's credit limit (`null`: no limit). */
  setCreditLimit(customerId: string, limit: DecimalString | null): void;
  /** Adds an account the sandbox created (`POST /accounts`); its id must be new. */
  addCustomer(account: CustomerAccount): void;
  /** Forgets every change. */
  reset(): void;
}

export function createLiveData(base: DataSet): LiveData {
  const prices = new Map<string, PriceEntry>();
  const customers = new Map<string, CustomerAccount>();
  const items = new Map<string, Item>();
  /** sku → warehouse → on hand. */
  const onHand = new Map<string, Map<string, number>>();
  const customer = (id: string) => customers.get(id) ?? base.customersById.get(id);

  const data: DataSet = {
    ...base,
    prices: overlay(base.prices, prices),
    customersById: overlay(base.customersById, customers),
    itemsBySku: overlay(base.itemsBySku, items),
    stockRecord(sku, today): StockRecord | undefined {
      const record = base.stockRecord(sku, today);
      const changed = onHand.get(sku);
      if (!record || !changed) return record;
      const warehouses = record.warehouses.map((w) => (changed.has(w.code) ? { ...w, onHand: changed.get(w.code)! } : w));
      for (const [code, quantity] of changed) {
        if (!warehouses.some((w) => w.code === code)) warehouses.push({ code, onHand: quantity, reserved: 0, safetyStock: 0, incoming: [] });
      }
      return { ...record, warehouses };
    },
  };

  return {
    data,
    setPrice(key, currency, unitPrice) {
      const entry: PriceEntry = { sku: key.sku, scope: key.scope, scopeId: key.scopeId, currency, breaks: [{ minQuantity: 1, unitPrice }] };
      prices.set(priceKey(key), entry);
      // A customer's first contract price: the account must say it has some, or nobody looks.
      const account = key.scope === 'contract' ? customer(key.scopeId) : undefined;
      if (account && !account.hasContractPrices) customers.set(account.id, { ...account, hasContractPrices: true });
      return entry;
    },
    setOnHand(sku, warehouse, quantity) {
      let changed = onHand.get(sku);
      if (!changed) onHand.set(sku, (changed = new Map()));
      changed.set(warehouse, quantity);
    },
    setSalable(sku, salable) {
      const item = items.get(sku) ?? base.itemsBySku.get(sku);
      if (item) items.set(sku, { ...item, salable });
    },
    setCreditLimit(customerId, limit) {
      const account = customer(customerId);
      if (account) customers.set(customerId, { ...account, credit: { ...account.credit, limit } });
    },
    addCustomer(account) {
      if (customer(account.id)) throw new Error(`customer ${account.id} exists already`);
      customers.set(account.id, account);
    },
    reset() {
      prices.clear();
      customers.clear();
      items.clear();
      onHand.clear();
    },
  };
}

/** `base` read through `changed`: a changed key answers its new value. */
function overlay<K, V>(base: ReadonlyMap<K, V>, changed: ReadonlyMap<K, V>): ReadonlyMap<K, V> {
  function* entries(): MapIterator<[K, V]> {
    for (const [k, v] of base) yield [k, changed.has(k) ? changed.get(k)! : v];
    for (const [k, v] of changed) if (!base.has(k)) yield [k, v];
  }
  return {
    get: (k) => (changed.has(k) ? changed.get(k) : base.get(k)),
    has: (k) => changed.has(k) || base.has(k),
    get size() {
      let n = base.size;
      for (const k of changed.keys()) if (!base.has(k)) n++;
      return n;
    },
    entries,
    *keys(): MapIterator<K> {
      for (const [k] of entries()) yield k;
    },
    *values(): MapIterator<V> {
      for (const [, v] of entries()) yield v;
    },
    forEach(callback, thisArg) {
      for (const [k, v] of entries()) callback.call(thisArg, v, k, this);
    },
    [Symbol.iterator]: entries,
  };
}
