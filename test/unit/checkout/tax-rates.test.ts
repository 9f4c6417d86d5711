/**
 * The tax rates a checkout keeps for outages: read off the ERP's totals (its own rate when it says
 * it), kept per customer and ship-to region in the cache, recalled with when the ERP applied them
 * until they are too old, and turned into a decimal estimate.
 */
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import { createJsonLinesLogger } from '../../../src/adapters/logging/json-lines-logger.ts';
import { appliedRate, estimateTax, keepTaxRate, lastTaxRate, TAX_RATE_MAX_AGE_MS, taxRegion } from '../../../src/features/checkout/services/tax-rates.ts';
import { ReadThroughCache } from '../../../src/services/read-through-cache.ts';

const totals = (subtotal: string, tax: string, shipping: string, taxRate?: string) => ({
  subtotal,
  tax,
  shipping,
  total: '0',
  currency: 'USD',
  ...(taxRate !== undefined ? { taxRate } : {}),
});

const address = (country: string, region: string | null) => ({
  id: 'ST',
  name: 'n',
  line1: 'l',
  line2: null,
  city: 'c',
  region,
  postalCode: 'p',
  country,
  isDefault: true,
});

describe('tax rates kept at checkout', () => {
  it("takes the ERP's own rate when it says it, otherwise tax ÷ (subtotal + shipping)", () => {
    expect(appliedRate(totals('28.50', '1.35', '25.00', '0.0475'))).toBe('0.0475');
    expect(appliedRate(totals('1000.00', '190.00', '0.00'))).toBe('0.19');
    expect(appliedRate(totals('0.00', '0.00', '0.00'))).toBeNull();
  });

  it('estimates on the subtotal, half-even to the currency minor unit, in decimal', () => {
    const rate = { rate: '0.0475', asOf: '2026-11-30T00:00:00.000Z', region: 'US-NC' };
    expect(estimateTax({ amount: '0.10', currency: 'USD' }, rate)).toEqual({ amount: '0.00', currency: 'USD' });
    expect(estimateTax({ amount: '1234.56', currency: 'USD' }, rate)).toEqual({ amount: '58.64', currency: 'USD' });
    // 0.1 + 0.2 in floats is not 0.3; here it is.
    expect(estimateTax({ amount: '0.30', currency: 'USD' }, { ...rate, rate: '1' })).toEqual({ amount: '0.30', currency: 'USD' });
  });

  it('keeps a rate per customer and region, recalled with its asOf until too old', async () => {
    let now = Date.parse('2026-11-30T01:00:00Z');
    const policy = { freshMs: 1, staleWhileRevalidateMs: 0, maxStaleMs: 1 };
    const cache = new ReadThroughCache({
      local: createMemoryCacheStore(),
      clock: { now: () => now },
      metrics: createPrometheusMetrics(),
      policies: { items: policy, prices: policy, stock: policy, accounts: policy, reps: policy, activity: policy, invoices: policy },
    });
    const log = createJsonLinesLogger({ sink: () => {} });
    const nc = address('US', 'NC');
    expect(taxRegion(nc)).toBe('US-NC');
    expect(taxRegion(address('DE', null))).toBe('DE');
    await keepTaxRate(cache, 'C1', nc, totals('100.00', '4.75', '0.00', '0.0475'), log);
    now += 3_600_000;
    expect(await lastTaxRate(cache, 'C1', nc, log)).toEqual({ rate: '0.0475', asOf: '2026-11-30T01:00:00.000Z', region: 'US-NC' });
    // Another customer (its own tax status), another region: nothing known.
    expect(await lastTaxRate(cache, 'C2', nc, log)).toBeNull();
    expect(await lastTaxRate(cache, 'C1', address('US', 'AZ'), log)).toBeNull();
    now += TAX_RATE_MAX_AGE_MS;
    expect(await lastTaxRate(cache, 'C1', nc, log)).toBeNull();
  });
});
