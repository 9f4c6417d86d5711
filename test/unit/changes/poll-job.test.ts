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
import { CHANGE_FEED, changePollJob } from '../../../src/features/changes/poll-job.ts';
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

function instance(feed: ErpChangeFeed, cursors = createMemoryCursorStore(), options: { failBroadcast?: () => boolean; id?: string } = {}) {
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
    intervalMs: 1000,
    instanceId: options.id ?? 'a',
    pageSize: 2,
  });
  return { job, local, cursors };
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
});
