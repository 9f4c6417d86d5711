/**
 * The ERP change feed's metrics (events by source, type and outcome; how far behind the ERP
 * erpfront may be), defined in the app's Prometheus registry with the part of the `Metrics` port
 * that records them. The feed's state is read from the shared store once per scrape.
 *
 * @module
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ChangeFeedReading, Metrics } from '../../ports/metrics.ts';

/** Registers the change feed's metrics in `registry`; returns the port's methods that feed them. */
export function changeFeedMetrics(registry: Registry): Pick<Metrics, 'changeEvent' | 'observeChangeFeed'> {
  const changeEvents = new Counter({
    name: 'erpfront_change_events_total',
    help: 'ERP change events, by source (push: webhooks, poll: the polling job), type and outcome: applied, duplicate, refused, failed.',
    labelNames: ['source', 'type', 'outcome'] as const,
    registers: [registry],
  });
  let readChangeFeed: (() => Promise<ChangeFeedReading>) | null = null;
  let changeFeedReading: Promise<ChangeFeedReading | null> | null = null;
  // One read of the shared store per scrape serves both gauges (prom-client starts every collect
  // in one turn, before any read can settle); a store that does not answer reads as nothing.
  const readFeed = async () => {
    changeFeedReading ??= (readChangeFeed ? readChangeFeed().catch(() => null) : Promise.resolve(null)).finally(() => (changeFeedReading = null));
    return changeFeedReading;
  };
  new Gauge({
    name: 'erpfront_change_feed_lag_seconds',
    help: 'How far behind the ERP erpfront may be, by source: poll: since the start of the last poll that read every change; push: how late the newest webhook change arrived.',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const read = await readFeed();
      if (read?.source && read.lagSeconds !== null) this.set({ source: read.source }, read.lagSeconds);
    },
  });
  new Gauge({
    name: 'erpfront_change_feed_last_event_timestamp_seconds',
    help: 'When erpfront last applied an ERP change (Unix time); 0 before the first.',
    registers: [registry],
    async collect() {
      const read = await readFeed();
      this.set(read?.lastEventAt ? read.lastEventAt / 1000 : 0);
    },
  });

  return {
    changeEvent: (source, type, outcome, count = 1) => changeEvents.inc({ source, type, outcome }, count),
    observeChangeFeed(read) {
      readChangeFeed = read;
    },
  };
}
