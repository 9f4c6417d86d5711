/**
 * The change feed's figures: the lag as the alert reads it (poll: since the last poll that caught
 * up; push: how late the newest change arrived, not growing while the ERP is quiet), the time of
 * the last change, and the event counts, through the real memory cursor store and the Prometheus
 * adapter.
 */
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryCursorStore } from '../../../src/adapters/stores/memory/cursor-store.ts';
import { ChangeFeedMonitor, changedAt, feedReading, POLL_RECORD } from '../../../src/features/changes/feed-monitor.ts';
import { silentLogger } from '../../../src/ports/logger.ts';

const T0 = Date.parse('2026-11-29T10:00:00Z');

describe('feedReading', () => {
  it('nothing received, nothing polled: unknown', () => {
    expect(feedReading(null, null, T0)).toEqual({ source: null, lagSeconds: null, lastEventAt: null });
  });

  it('push: how late the newest change arrived, the same however long the ERP stays quiet afterwards', () => {
    const push = { changedAt: T0, appliedAt: T0 + 1_250 };
    expect(feedReading(push, null, T0 + 2_000)).toEqual({ source: 'push', lagSeconds: 1.3, lastEventAt: T0 + 1_250 });
    expect(feedReading(push, null, T0 + 6 * 3_600_000)).toEqual({ source: 'push', lagSeconds: 1.3, lastEventAt: T0 + 1_250 });
    // A sender's clock ahead of ours is no negative lag.
    expect(feedReading({ changedAt: T0 + 5_000, appliedAt: T0 }, null, T0).lagSeconds).toBe(0);
  });

  it('poll: since the last poll that caught up, growing while none does; it wins over push', () => {
    const poll = { caughtUpAt: T0, appliedAt: null };
    expect(feedReading(null, poll, T0 + 4_000)).toEqual({ source: 'poll', lagSeconds: 4, lastEventAt: null });
    expect(feedReading(null, poll, T0 + 600_000).lagSeconds).toBe(600);
    const both = feedReading({ changedAt: T0, appliedAt: T0 + 100 }, { caughtUpAt: T0 + 50, appliedAt: T0 + 60 }, T0 + 1_050);
    expect(both).toEqual({ source: 'poll', lagSeconds: 1, lastEventAt: T0 + 100 });
  });
});

describe('changedAt', () => {
  it("is the payload's timestamp, else the delivery's", () => {
    expect(changedAt({ type: 'x', timestamp: '2026-11-29T10:00:00.500Z' }, 1)).toBe(T0 + 500);
    expect(changedAt({ type: 'x' }, T0 / 1000)).toBe(T0);
    expect(changedAt({ type: 'x', timestamp: 'yesterday' }, T0 / 1000)).toBe(T0);
    expect(changedAt(null, T0 / 1000)).toBe(T0);
  });
});

describe('ChangeFeedMonitor', () => {
  function monitor(polling: boolean, cursors = createMemoryCursorStore()) {
    let now = T0;
    const metrics = createPrometheusMetrics();
    const m = new ChangeFeedMonitor({ cursors, metrics, clock: { now: () => now }, logger: silentLogger, polling });
    metrics.observeChangeFeed(() => m.reading());
    return { m, metrics, cursors, advance: (ms: number) => (now += ms) };
  }

  it('a pushed change sets the status and the gauges; every outcome is counted, unknown types as `unknown`', async () => {
    const { m, metrics, advance } = monitor(false);
    expect(await metrics.render()).not.toMatch(/^erpfront_change_feed_lag_seconds/m);
    expect(await metrics.render()).toMatch(/^erpfront_change_feed_last_event_timestamp_seconds 0$/m);

    advance(800);
    await m.pushed({ type: 'price_list.changed', data: { priceListId: 'PL-1' } }, T0);
    m.counted('push', 'price_list.changed', 'duplicate');
    m.counted('push', null, 'refused');
    m.counted('push', 'no.such.type', 'refused');
    advance(60_000);
    expect(await m.status()).toEqual({ source: 'push', lagSeconds: 0.8, lastEventAt: '2026-11-29T10:00:00.800Z' });
    const text = await metrics.render();
    expect(text).toContain('erpfront_change_events_total{source="push",type="price_list.changed",outcome="applied"} 1');
    expect(text).toContain('erpfront_change_events_total{source="push",type="price_list.changed",outcome="duplicate"} 1');
    expect(text).toContain('erpfront_change_events_total{source="push",type="unknown",outcome="refused"} 2');
    expect(text).toContain('erpfront_change_feed_lag_seconds{source="push"} 0.8');
    expect(text).toContain(`erpfront_change_feed_last_event_timestamp_seconds ${(T0 + 800) / 1000}`);
  });

  it('a deployment that does not poll ignores a poll record left in the shared store (it would read as a feed stopped)', async () => {
    const cursors = createMemoryCursorStore();
    await cursors.set(POLL_RECORD, JSON.stringify({ caughtUpAt: T0 - 86_400_000, appliedAt: null }));
    expect(await monitor(false, cursors).m.status()).toEqual({ source: null, lagSeconds: null, lastEventAt: null });
    expect((await monitor(true, cursors).m.status()).lagSeconds).toBe(86_400);
  });

  it('a store that does not answer leaves the gauges out of the scrape, not the scrape failing', async () => {
    const cursors = createMemoryCursorStore();
    cursors.get = async () => {
      throw new Error('Redis unreachable');
    };
    const { metrics } = monitor(true, cursors);
    const text = await metrics.render();
    expect(text).toContain('# TYPE erpfront_change_feed_lag_seconds gauge');
    expect(text).not.toMatch(/^erpfront_change_feed_lag_seconds\{/m);
  });
});
