import { describe, expect, it } from 'vitest';
import { computeAvailability } from '../../../src/domain/atp/availability.ts';
import type { StockRecord, WarehouseStock } from '../../../src/ports/erp-connector.ts';

const today = '2026-11-23';
const wh = (code: string, onHand: number, reserved = 0, safetyStock = 0, incoming: WarehouseStock['incoming'] = []): WarehouseStock => ({
  code,
  onHand,
  reserved,
  safetyStock,
  incoming,
});
const stock = (warehouses: WarehouseStock[], leadTimeDays: number | null = 14): StockRecord => ({ sku: 'SKU-1', leadTimeDays, warehouses });

describe('computeAvailability', () => {
  it('subtracts reserved and safety stock per warehouse, never below zero', () => {
    const a = computeAvailability(stock([wh('EAST', 100, 30, 10), wh('WEST', 5, 10, 0)]), 1, { today });
    expect(a.warehouses.map((w) => [w.code, w.available])).toEqual([
      ['EAST', 60],
      ['WEST', 0],
    ]);
    expect(a.available).toBe(60);
  });

  it('promises today when stock on hand covers the quantity, splitting across warehouses', () => {
    const a = computeAvailability(stock([wh('EAST', 30), wh('WEST', 25)]), 50, { today });
    expect(a.promiseDate).toBe(today);
    expect(a.status).toBe('IN_STOCK');
    expect(a.allocations).toEqual([
      { warehouse: 'EAST', quantity: 30, date: today, source: 'STOCK' },
      { warehouse: 'WEST', quantity: 20, date: today, source: 'STOCK' },
    ]);
  });

  it('is IN_STOCK when plenty remains, LOW_STOCK when what remains falls under safety stock', () => {
    expect(computeAvailability(stock([wh('EAST', 120, 0, 20)]), 10, { today }).status).toBe('IN_STOCK');
    expect(computeAvailability(stock([wh('EAST', 120, 0, 20)]), 90, { today }).status).toBe('LOW_STOCK');
    expect(computeAvailability(stock([wh('EAST', 40)]), 40, { today }).status).toBe('LOW_STOCK');
  });

  it('promises the date of the receipt that completes the quantity, across warehouses', () => {
    const a = computeAvailability(
      stock([wh('EAST', 10, 0, 0, [{ date: '2026-12-10', quantity: 100 }]), wh('WEST', 0, 0, 0, [{ date: '2026-12-01', quantity: 15 }])]),
      30,
      { today },
    );
    expect(a.status).toBe('BACKORDER');
    expect(a.promiseDate).toBe('2026-12-10');
    expect(a.allocations.map((x) => [x.warehouse, x.quantity, x.source])).toEqual([
      ['EAST', 10, 'STOCK'],
      ['WEST', 15, 'INCOMING'],
      ['EAST', 5, 'INCOMING'],
    ]);
    expect(a.warehouses.find((w) => w.code === 'EAST')!.promiseDate).toBe('2026-12-10');
    expect(a.warehouses.find((w) => w.code === 'WEST')!.promiseDate).toBe('2026-12-07'); // its own receipt is short: lead time
  });

  it('falls back to the replenishment lead time when stock and receipts fall short', () => {
    const a = computeAvailability(stock([wh('EAST', 5)], 21), 50, { today });
    expect(a.status).toBe('BACKORDER');
    expect(a.promiseDate).toBe('2026-12-14');
    expect(a.allocations.at(-1)).toMatchObject({ quantity: 45, source: 'REPLENISHMENT' });
  });

  it('is OUT_OF_STOCK, with no promise, when the item is not replenished and stock falls short', () => {
    const a = computeAvailability(stock([wh('EAST', 0), wh('WEST', 3)], null), 10, { today });
    expect(a.status).toBe('OUT_OF_STOCK');
    expect(a.promiseDate).toBeNull();
    expect(a.allocations).toEqual([]);
  });

  it('without split shipments, promises the earliest single warehouse that can ship it all', () => {
    const record = stock([wh('EAST', 30, 0, 0, [{ date: '2026-12-20', quantity: 50 }]), wh('WEST', 25, 0, 0, [{ date: '2026-12-02', quantity: 40 }])]);
    expect(computeAvailability(record, 50, { today }).promiseDate).toBe(today);
    const single = computeAvailability(record, 50, { today, allowSplit: false });
    expect(single.promiseDate).toBe('2026-12-02');
    expect(new Set(single.allocations.map((x) => x.warehouse))).toEqual(new Set(['WEST']));
  });

  it('never promises a late receipt for a day that has passed', () => {
    const a = computeAvailability(stock([wh('EAST', 0, 0, 0, [{ date: '2026-11-01', quantity: 10 }])]), 5, { today });
    expect(a.promiseDate).toBe('2026-11-24');
  });
});
