/** The console's figures read from the Prometheus adapter's own exposition: what was counted is what is shown. */
import { expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { hitRatio, parseExposition, readMetrics } from '../../../src/features/console/metric-readings.ts';

it('reads cache lookups per domain, budget waits per priority and ERP calls per outcome', async () => {
  const metrics = createPrometheusMetrics();
  metrics.cacheRequest('prices', 'hit', 6);
  metrics.cacheRequest('prices', 'stale', 1);
  metrics.cacheRequest('prices', 'miss', 2);
  metrics.cacheRequest('prices', 'coalesced', 1);
  metrics.cacheRequest('stock', 'miss', 4);
  metrics.budgetWait('order', 0.01);
  metrics.budgetWait('order', 0.03);
  metrics.budgetWait('background', 1.5);
  metrics.erpRequest('getPrices', 'success', 0.02);
  metrics.erpRequest('getItems', 'success', 0.02);
  metrics.erpRequest('getItems', 'timeout', 5);
  const readings = await readMetrics(metrics);
  expect(readings.cache.prices).toEqual({ hit: 6, stale: 1, miss: 2, coalesced: 1 });
  expect(hitRatio(readings.cache.prices!)).toBeCloseTo(0.8);
  expect(hitRatio(readings.cache.stock!)).toBe(0);
  expect(hitRatio({ hit: 0, stale: 0, miss: 0, coalesced: 0 })).toBeNull();
  expect(readings.budgetWaits.order!.count).toBe(2);
  expect(readings.budgetWaits.order!.seconds).toBeCloseTo(0.04);
  expect(readings.budgetWaits.background).toEqual({ count: 1, seconds: 1.5 });
  expect(readings.erpCalls).toEqual({ success: 2, timeout: 1 });
});

it('parses labels with escaped quotes and skips comments and malformed lines', () => {
  const samples = parseExposition(['# HELP x y', 'm{a="say \\"hi\\"",b="2"} 3', 'broken line', 'n 4', 'o{a="1"} NaN'].join('\n'));
  expect(samples).toEqual([
    { name: 'm', labels: { a: 'say "hi"', b: '2' }, value: 3 },
    { name: 'n', labels: {}, value: 4 },
  ]);
});
