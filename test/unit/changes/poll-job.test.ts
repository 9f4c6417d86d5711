/**
 * The change-feed polling job with a scripted ERP feed (the stand-in for Tryton), the real cursor
 * store, applier and cache: where it starts, that the cursor moves only after the changes were
 * acted on, that one instance polls at a time, and that an ERP outage is not the job's error.
 */
import { silentLogger } from '../../../src/ports/logger.ts';
import { describe, expect, it } from 'vitest';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import { createMemoryCursorStore } from '../../../src/adapters/stores/memory/cursor-store.ts';
import { createChangeApplier } from '../../../src/features/changes/change-applier.ts';
import { ChangeFeedMonitor } from '../../../src/features/changes/feed-monitor.ts';
import { CHANGE_FEED, changePollJob } from '../../../src/features/changes/poll-job.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import type { Clock } from '../../../src/ports/clock.ts';
import type { InvalidationBus } from '../../../src/ports/cache-invalidation.ts';
import type { ErpChange, ErpChangeFeed } from '../../../src/ports/erp/changes.ts';
import { ErpError } from '../../../src/ports/erp-error.ts';
import { CacheInvalidation } from '../../../src/services/cache-invalidation.ts';

/** An ERP whose change log is a list; cursors are positions in it. */
function scriptedFeed() {
  const log: ErpChange[] = [];
  const asked: Array<{ cursor: string; priority: string | undefined }> = [];
  let down = false;
  const feed: ErpChangeFeed = {
    async changeCursorNow() {
      return String(log.length);
    },
    async changesSince(cursor, limit, options) {
      asked.push({ cursor, priority: options?.priority });
      if (down) throw new ErpError('ERP_UNAVAILABLE', 'down');
      const from = Number(cursor);
      const page = log.slice(from, from + limit);
      return { changes: page, cursor: String(from + page.length), more: from + page.length < log.length };
    },
  };
  return { feed, log, asked, setDown: (d: boolean) => (down = d) };
}

function instance(feed: ErpChangeFeed, cursors = createMemoryCursorStore(), options: { failBroadcast?: () => boolean; id?: string; clock?: Clock } = {}) {
  const clock = options.clock ?? { now: () => Date.now() };
  const metrics = createPrometheusMetrics();
  const monitor = new ChangeFeedMonitor({ cursors, metrics, clock, logger: silentLogger, polling: true });
  metrics.observeChangeFeed(() => monitor.reading());
  const local = createMemoryCacheStore();
  const bus: InvalidationBus = {
    async publish() {
      if (options.failBroadcast?.()) throw new Error('Redis unreachable');
    },
    async subscribe() {
      return async () => {};
    },
  };
  const job = changePollJob({
    feed,
    cursors,
    applier: createChangeApplier(new CacheInvalidation({ local, bus, logger: silentLogger, instanceId: options.id ?? 'a' })),
    monitor,
    clock,
    intervalMs: 1000,
    instanceId: options.id ?? 'a',
    pageSize: 2,
  });
  return { job, local, cursors, monitor, metrics };
}

const stock = (sku: string): ErpChange => ({ type: 'stock.changed', data: { skus: [sku] } });
const entry = { value: 1, fetchedAt: 0, asOf: '1970-01-01T00:00:00.000Z' };

describe('change-feed polling job', () => {
  it('starts at the ERP\'s "now" (no history replayed), then acts on what changed, at background priority', async () => {
    const erp = scriptedFeed();
    erp.log.push(stock('OLD-1'), stock('OLD-2'));
    const { job, local, cursors } = instance(erp.feed);
    await job.tick();
    expect(await cursors.get(CHANGE_FEED)).toBe('2');
    expect(erp.asked).toEqual([]);

    await local.setMany(
      [
        ['stock:SKU-1', entry],
        ['stock:SKU-2', entry],
        ['stock:OLD-1', entry],
      ],
      60_000,
    );
    erp.log.push(stock('SKU-1'));
    await job.tick();
    expect(erp.asked).toEqual([{ cursor: '2', priority: 'background' }]);
    expect(await local.getMany(['stock:SKU-1', 'stock:SKU-2', 'stock:OLD-1'])).toEqual([undefined, entry, entry]);
    expect(await cursors.get(CHANGE_FEED)).toBe('3');
  });

  it('reads on while more is waiting (a bounded number of pages per tick), then asks to run again at once', async () => {
    const erp = scriptedFeed();
    const { job, cursors } = instance(erp.feed);
    await job.tick();
    erp.log.push(...Array.from({ length: 13 }, (_, i) => stock(`SKU-${i}`)));
    expect(await job.tick()).toBe(0); // 5 pages of 2: 10 read, more waiting
    expect(await cursors.get(CHANGE_FEED)).toBe('10');
    expect(await job.tick()).toBeUndefined();
    expect(await cursors.get(CHANGE_FEED)).toBe('13');
  });

  it('keeps its cursor when the changes could not be passed on to every instance: the next tick reads them again', async () => {
    const erp = scriptedFeed();
    let fail = true;
    const { job, cursors } = instance(erp.feed, createMemoryCursorStore(), { failBroadcast: () => fail });
    await job.tick();
    erp.log.push(stock('SKU-1'));
    await expect(job.tick()).rejects.toThrow('Redis unreachable');
    expect(await cursors.get(CHANGE_FEED)).toBe('0');
    fail = false;
    await job.tick();
    expect(await cursors.get(CHANGE_FEED)).toBe('1');
  });

  it('one instance polls at a time: the other skips its ticks while the lease runs', async () => {
    const erp = scriptedFeed();
    const shared = createMemoryCursorStore();
    const a = instance(erp.feed, shared, { id: 'a' });
    const b = instance(erp.feed, shared, { id: 'b' });
    await a.job.tick();
    erp.log.push(stock('SKU-1'));
    await b.job.tick();
    expect(erp.asked).toEqual([]);
    await a.job.tick();
    expect(erp.asked).toHaveLength(1);
  });

  it('an ERP outage ends the tick quietly, the cursor where it was', async () => {
    const erp = scriptedFeed();
    const { job, cursors } = instance(erp.feed);
    await job.tick();
    erp.log.push(stock('SKU-1'));
    erp.setDown(true);
    await expect(job.tick()).resolves.toBeUndefined();
    expect(await cursors.get(CHANGE_FEED)).toBe('0');
  });

  it('the lag is the time since the last tick that read the feed to its end: small while quiet, growing while the ERP is down', async () => {
    const erp = scriptedFeed();
    let now = Date.parse('2026-11-29T10:00:00Z');
    const { job, monitor, metrics } = instance(erp.feed, createMemoryCursorStore(), { clock: { now: () => now } });
    expect(await monitor.status()).toEqual({ source: null, lagSeconds: null, lastEventAt: null });
    await job.tick(); // the first start: caught up at once, nothing applied
    now += 1000;
    expect(await monitor.status()).toEqual({ source: 'poll', lagSeconds: 1, lastEventAt: null });

    now += 1000;
    await job.tick(); // quiet ERP: still caught up, the lag does not grow
    now += 500;
    expect((await monitor.status()).lagSeconds).toBe(0.5);

    erp.log.push(stock('SKU-1'), stock('SKU-2'), { type: 'customer.changed', data: { customerIds: ['C1'] } });
    await job.tick();
    const appliedAt = new Date(now).toISOString();
    expect(await monitor.status()).toEqual({ source: 'poll', lagSeconds: 0, lastEventAt: appliedAt });
    const text = await metrics.render();
    expect(text).toContain('erpfront_change_events_total{source="poll",type="stock.changed",outcome="applied"} 2');
    expect(text).toContain('erpfront_change_events_total{source="poll",type="customer.changed",outcome="applied"} 1');

    erp.setDown(true);
    for (let i = 0; i < 5; i++) {
      now += 60_000;
      await job.tick();
    }
    expect(await monitor.status()).toEqual({ source: 'poll', lagSeconds: 300, lastEventAt: appliedAt });
    expect(await metrics.render()).toContain('erpfront_change_feed_lag_seconds{source="poll"} 300');
    erp.setDown(false);
    await job.tick();
    expect((await monitor.status()).lagSeconds).toBe(0);
  });

  it('a tick that stops at its page limit with more waiting does not count as caught up', async () => {
    const erp = scriptedFeed();
    let now = Date.parse('2026-11-29T10:00:00Z');
    const { job, monitor } = instance(erp.feed, createMemoryCursorStore(), { clock: { now: () => now } });
    await job.tick();
    erp.log.push(...Array.from({ length: 13 }, (_, i) => stock(`SKU-${i}`)));
    now += 10_000;
    expect(await job.tick()).toBe(0);
    expect((await monitor.status()).lagSeconds).toBe(10);
    await job.tick();
    expect((await monitor.status()).lagSeconds).toBe(0);
  });
});
