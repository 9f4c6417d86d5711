/**
 * Answers served again from their read receipts (read-memo.ts, read-receipts.ts): only for the
 * question they answered, only while every entry they read is still held and fresh, never for a
 * request whose reads the response cache is noting, and counted as the hits they stand for.
 */
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import type { ErpConnector, StockRecord } from '../../../src/ports/erp-connector.ts';
import { ErpReader } from '../../../src/services/erp-reader.ts';
import { after } from '../../../src/services/maybe-promise.ts';
import { ReadMemo } from '../../../src/services/read-memo.ts';
import { RECEIPT_MS } from '../../../src/services/read-receipts.ts';
import { ReadThroughCache } from '../../../src/services/read-through-cache.ts';
import { counter } from '../../support/stack.ts';

const FRESH_MS = 20_000;
const T0 = Date.parse('2026-11-29T23:59:50Z');

function setup() {
  let now = T0;
  const clock = { now: () => now };
  const metrics = createPrometheusMetrics();
  const policy = { freshMs: FRESH_MS, staleWhileRevalidateMs: 0, maxStaleMs: 60_000 };
  const local = createMemoryCacheStore();
  const cache = new ReadThroughCache({
    local,
    clock,
    metrics,
    policies: { items: policy, prices: policy, stock: policy, accounts: policy, reps: policy, activity: policy, invoices: policy },
  });
  let erpCalls = 0;
  // The ERP's side only: every SKU on hand 7, the count going up with each call.
  const erp = {
    async getStock(skus: string[]) {
      erpCalls++;
      return skus.map((sku) => ({ sku, warehouses: [{ code: 'EAST', onHand: 7 + erpCalls }] }));
    },
  } as unknown as ErpConnector;
  let computed = 0;
  const memo = new ReadMemo<object, { onHand: number; asOf: string }>();
  const subject = {};
  /** One request: a reader of its own, asking the memo for SKU A's stock. */
  const ask = (options: { memo?: typeof memo; b?: unknown; tracked?: boolean } = {}) => {
    const reader = new ErpReader(erp, cache, { maxBatchSize: 100 });
    if (options.tracked) reader.track();
    return (options.memo ?? memo).answer(reader, subject, 'question', options.b ?? 1, () => {
      computed++;
      return after(reader.stock('A'), (s) => ({ onHand: (s.value as StockRecord).warehouses[0]!.onHand, asOf: s.asOf }));
    });
  };
  // Each step in a turn of its own: the cache reads the clock once per synchronous run.
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    ask,
    tick,
    local,
    computed: () => computed,
    erpCalls: () => erpCalls,
    advance: (ms: number) => (now += ms),
    now: () => now,
    hits: async () => counter(await metrics.render(), 'erpfront_cache_requests_total', { cache: 'stock', result: 'hit' }),
  };
}

describe('ReadMemo', () => {
  it('serves the answer again, the same object, counted as a hit, while its entry is held and fresh', async () => {
    const t = setup();
    // Cold: fetched (not kept: a read that missed); warm: computed and kept; then served again.
    const cold = await t.ask();
    await t.tick();
    const warm = await t.ask();
    expect(t.computed()).toBe(2);
    const hits = await t.hits();
    await t.tick();
    const again = t.ask();
    expect(again).toBe(warm);
    expect(again).toEqual(cold);
    expect(t.computed()).toBe(2);
    expect(await t.hits()).toBe(hits + 1);
    expect(t.erpCalls()).toBe(1);
  });

  it('computes again once the entry is dropped (a change event), replaced or evicted', async () => {
    const t = setup();
    await t.ask();
    await t.tick();
    const warm = await t.ask();
    await t.tick();
    await t.local.deleteMany(['stock:A']);
    const after = await t.ask();
    expect(t.erpCalls()).toBe(2);
    expect(after.onHand).not.toBe(warm.onHand);
  });

  it('computes again once the entry is past its freshness, or the reads are RECEIPT_MS old', async () => {
    const t = setup();
    await t.ask();
    await t.tick();
    await t.ask();
    const computed = t.computed();
    // Within the receipt's time: served again. Past it: read (and kept) again, though still fresh.
    t.advance(RECEIPT_MS - 1);
    await t.tick();
    t.ask();
    expect(t.computed()).toBe(computed);
    t.advance(2);
    await t.tick();
    t.ask();
    expect(t.computed()).toBe(computed + 1);
    // Read again every RECEIPT_MS until freshness ends: then the entry is not fresh, and is fetched.
    for (let ms = 2 * RECEIPT_MS; ms < FRESH_MS; ms += RECEIPT_MS) {
      t.advance(RECEIPT_MS);
      await t.tick();
      await t.ask();
    }
    // The last reads' receipt would stand a little longer: the entry's freshness ends first.
    const calls = t.erpCalls();
    t.advance(T0 + FRESH_MS - t.now());
    await t.tick();
    await t.ask();
    expect(t.erpCalls()).toBe(calls + 1);
  });

  it('answers only the question asked: another quantity, or a request whose reads are noted, computes', async () => {
    const t = setup();
    await t.ask();
    await t.tick();
    await t.ask();
    const computed = t.computed();
    await t.tick();
    await t.ask({ b: 2 });
    expect(t.computed()).toBe(computed + 1);
    await t.tick();
    await t.ask({ tracked: true });
    await t.ask({ tracked: true });
    expect(t.computed()).toBe(computed + 3);
  });

  it('lapses at UTC midnight when the answer counts dates from today', async () => {
    const t = setup();
    const daily = new ReadMemo<object, { onHand: number; asOf: string }>({ dayBound: true });
    await t.ask({ memo: daily });
    t.advance(9_600); // 23:59:59.600
    await t.tick();
    await t.ask({ memo: daily });
    const computed = t.computed();
    t.advance(300);
    await t.tick();
    await t.ask({ memo: daily });
    expect(t.computed()).toBe(computed);
    t.advance(200); // 00:00:00.100, within RECEIPT_MS of the reads
    await t.tick();
    await t.ask({ memo: daily });
    expect(t.computed()).toBe(computed + 1);
  });
});
