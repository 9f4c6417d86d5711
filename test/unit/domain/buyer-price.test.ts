import { describe, expect, it } from 'vitest';
import { resolveBuyerPrice, selectBreak } from '../../../src/domain/pricing/buyer-price.ts';
import type { PriceEntry } from '../../../src/ports/erp-connector.ts';

const entry = (scope: PriceEntry['scope'], scopeId: string, breaks: Array<[number, string]>, currency = 'USD'): PriceEntry => ({
  sku: 'SKU-00001',
  scope,
  scopeId,
  currency,
  breaks: breaks.map(([minQuantity, unitPrice]) => ({ minQuantity, unitPrice })),
});

describe('selectBreak', () => {
  const breaks = [
    { minQuantity: 1, unitPrice: '10.00' },
    { minQuantity: 10, unitPrice: '9.00' },
    { minQuantity: 100, unitPrice: '8.00' },
  ];
  it('takes the highest minimum quantity not above the quantity', () => {
    expect(selectBreak(breaks, 1)?.unitPrice).toBe('10.00');
    expect(selectBreak(breaks, 9.99)?.unitPrice).toBe('10.00');
    expect(selectBreak(breaks, 10)?.unitPrice).toBe('9.00');
    expect(selectBreak(breaks, 99)?.unitPrice).toBe('9.00');
    expect(selectBreak(breaks, 100)?.unitPrice).toBe('8.00');
    expect(selectBreak(breaks, 1_000_000)?.unitPrice).toBe('8.00');
  });
  it('has no price below the first break', () => {
    expect(selectBreak([{ minQuantity: 10, unitPrice: '5.00' }], 5)).toBeNull();
  });
  it('does not rely on the breaks being sorted', () => {
    expect(selectBreak([breaks[2]!, breaks[0]!, breaks[1]!], 50)?.unitPrice).toBe('9.00');
  });
});

describe('resolveBuyerPrice', () => {
  const list = entry('list', 'USD', [
    [1, '20.00'],
    [10, '18.00'],
  ]);
  const priceList = entry('priceList', 'PL-CONTRACTOR', [
    [1, '17.50'],
    [50, '15.25'],
  ]);
  const contract = entry('contract', 'C0001', [[1, '14.99']]);

  it('prefers a contract price over the price list over the list price', () => {
    expect(resolveBuyerPrice({ contract, priceList, list }, 1, 'USD')).toMatchObject({ source: 'CONTRACT', unitPrice: { amount: '14.99', currency: 'USD' } });
    expect(resolveBuyerPrice({ contract: null, priceList, list }, 1, 'USD')).toMatchObject({ source: 'PRICE_LIST', unitPrice: { amount: '17.50' } });
    expect(resolveBuyerPrice({ contract: null, priceList: null, list }, 1, 'USD')).toMatchObject({ source: 'LIST', unitPrice: { amount: '20.00' } });
  });

  it('applies the quantity break of the winning scope and shows the list price at that quantity', () => {
    const price = resolveBuyerPrice({ contract: null, priceList, list }, 60, 'USD')!;
    expect(price.unitPrice.amount).toBe('15.25');
    expect(price.listPrice?.amount).toBe('18.00');
    expect(price.appliedMinQuantity).toBe(50);
    expect(price.breaks.map((b) => [b.minQuantity, b.unitPrice.amount])).toEqual([
      [1, '17.50'],
      [50, '15.25'],
    ]);
  });

  it('falls through to a less specific scope when the specific one starts above the quantity', () => {
    const bulkContract = entry('contract', 'C0001', [[100, '12.00']]);
    expect(resolveBuyerPrice({ contract: bulkContract, priceList, list }, 5, 'USD')?.source).toBe('PRICE_LIST');
    expect(resolveBuyerPrice({ contract: bulkContract, priceList, list }, 100, 'USD')?.source).toBe('CONTRACT');
  });

  it("ignores an entry in another currency rather than quoting it as the buyer's", () => {
    const euro = entry('contract', 'C0001', [[1, '9.00']], 'EUR');
    expect(resolveBuyerPrice({ contract: euro, priceList: null, list }, 1, 'USD')?.source).toBe('LIST');
  });

  it('returns null when nothing prices the SKU', () => {
    expect(resolveBuyerPrice({ contract: null, priceList: null, list: null }, 1, 'USD')).toBeNull();
  });

  it('formats amounts to the currency minor unit without binary floats', () => {
    const odd = entry('list', 'USD', [[1, '0.1']]);
    expect(resolveBuyerPrice({ contract: null, priceList: null, list: odd }, 3, 'USD')?.unitPrice.amount).toBe('0.10');
  });
});
