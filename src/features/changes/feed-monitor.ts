/**
 * The change feed's figures: what the webhooks and the polling job did with ERP changes (counted
 * per instance in `/metrics`), and how far behind the ERP erpfront is (kept in the shared cursor
 * store, so every instance, the ops console and the alert read the same figure whichever
 * instance got the delivery or holds the poll lease).
 *
 * ## The lag, precisely
 * The alert `ErpfrontChangeFeedLag` (ops/prometheus) fires on it: it must mean "changes made in
 * the ERP are not reaching us", not "the ERP is quiet".
 * - **poll**: seconds since the start of the last poll that read the feed to its end (every page,
 *   acted on everywhere, the cursor stored). Every change the ERP stamped before that start has
 *   been applied, so the lag bounds how late any change shows. Healthy, it stays about
 *   ERP_CHANGES_POLL_SECONDS plus one poll's duration, whether or not anything changed; it grows
 *   without bound while polls fail (the ERP down, Redis down, the job not running).
 * - **push**: how late the newest change arrived: when erpfront applied it minus the time the
 *   ERP gave it (the payload's `timestamp`, as Standard Webhooks payloads carry it and the
 *   sandbox sends it; else the delivery's `webhook-timestamp`), never below 0. A delivery that
 *   needed retries shows their delay. It holds until the next change. A receiver cannot tell a
 *   quiet ERP from a sender that stopped, so silence does not raise it (a quiet night must not
 *   alert): deliveries refused for their signature or timestamp are counted
 *   (`erpfront_change_events_total{outcome="refused"}`), and the time of the last change is
 *   `lastEventAt` (`erpfront_change_feed_last_event_timestamp_seconds`).
 * - Where the ERP is polled, the poll's figure is the lag, whatever else arrives: it is the one
 *   that covers silence. `null` before anything was received or polled.
 *
 * @module
 */
import type { CursorStore } from '../../ports/cursor-store.ts';
import { ERP_CHANGE_TYPES, type ErpChange } from '../../ports/erp/changes.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import { loggableError } from '../../domain/loggable-error.ts';
import type { ChangeEventOutcome, ChangeFeedReading, ChangeSource, Metrics } from '../../ports/metrics.ts';

/** What the ops console shows of the change feed. */
export interface ChangeFeedStatus {
  /** When erpfront last applied an ERP change (either source), UTC ISO 8601; `null` before the first. */
  lastEventAt: string | null;
  /** See the module's definition; `null` while unknown. */
  lagSeconds: number | null;
  /** Which path `lagSeconds` is of. */
  source: ChangeSource | null;
}

/** The change feed's status, for operations (GraphQL services `changeFeed`). */
export interface ChangeFeedService {
  /** Read from the shared store: the same on every instance. */
  status(): Promise<ChangeFeedStatus>;
}

/** The newest accepted webhook change: when it was applied, and the ERP's time for it (epoch ms). */
export interface PushRecord {
  appliedAt: number;
  changedAt: number;
}

/** The last poll that read the feed to its end: when it started, and when a poll last applied changes. */
export interface PollRecord {
  caughtUpAt: number;
  appliedAt: number | null;
}

/** Where the records are kept in the cursor store (beside the poll cursor, `erp-changes`). */
export const PUSH_RECORD = 'erp-changes:push';
export const POLL_RECORD = 'erp-changes:poll';

/** The reading of the two records at `now` (pure). */
export function feedReading(push: PushRecord | null, poll: PollRecord | null, now: number): ChangeFeedReading {
  // A poll record names when a poll last caught up; only a deployment that polls passes one.
  const applied = [push?.appliedAt, poll?.appliedAt].filter((t): t is number => typeof t === 'number');
  const lastEventAt = applied.length > 0 ? Math.max(...applied) : null;
  if (poll) return { source: 'poll', lagSeconds: seconds(now - poll.caughtUpAt), lastEventAt };
  if (push) return { source: 'push', lagSeconds: seconds(push.appliedAt - push.changedAt), lastEventAt };
  return { source: null, lagSeconds: null, lastEventAt };
}

/** The ERP's time of a webhook change: the payload's `timestamp` when it is a date, else the delivery's (Unix seconds). */
export function changedAt(body: unknown, webhookTimestamp: number): number {
  const stamp = (body as { timestamp?: unknown } | null)?.timestamp;
  const parsed = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : webhookTimestamp * 1000;
}

export interface ChangeFeedMonitorOptions {
  cursors: CursorStore;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
  /**
   * Whether this deployment polls the ERP: only then is the poll's record the lag (one left in a
   * shared store by a deployment that polled before would otherwise read as a feed stopped).
   */
  polling: boolean;
}

/** Counts change events and keeps the lag's records; reads them back for `/metrics` and the ops console. */
export class ChangeFeedMonitor implements ChangeFeedService {
  readonly #o: ChangeFeedMonitorOptions;

  constructor(options: ChangeFeedMonitorOptions) {
    this.#o = options;
  }

  /** One delivery's outcome. `type` is the change's when it was read, else counted as `unknown`. */
  counted(source: ChangeSource, type: string | null, outcome: ChangeEventOutcome, count = 1): void {
    // Label values stay a closed set: a refused delivery's type is the sender's to choose.
    const label = type !== null && (ERP_CHANGE_TYPES as readonly string[]).includes(type) ? type : 'unknown';
    this.#o.metrics.changeEvent(source, label, outcome, count);
  }

  /** A webhook change applied everywhere; `changedAtMs` is the ERP's time for it. */
  async pushed(change: ErpChange, changedAtMs: number): Promise<void> {
    this.counted('push', change.type, 'applied');
    const record: PushRecord = { appliedAt: this.#o.clock.now(), changedAt: changedAtMs };
    await this.#store(PUSH_RECORD, record);
  }

  /**
   * One poll that ended well: `changes` were applied everywhere; `caughtUp` when it read the
   * feed to its end (not when it stopped at its page limit with more waiting).
   */
  async polled(startedAt: number, changes: readonly ErpChange[], caughtUp: boolean): Promise<void> {
    const byType = new Map<string, number>();
    for (const change of changes) byType.set(change.type, (byType.get(change.type) ?? 0) + 1);
    for (const [type, count] of byType) this.counted('poll', type, 'applied', count);
    if (!caughtUp && changes.length === 0) return;
    const previous = await this.#read<PollRecord>(POLL_RECORD);
    const record: PollRecord = {
      caughtUpAt: caughtUp ? startedAt : (previous?.caughtUpAt ?? startedAt),
      appliedAt: changes.length > 0 ? this.#o.clock.now() : (previous?.appliedAt ?? null),
    };
    await this.#store(POLL_RECORD, record);
  }

  /** The figures now, from the shared store (what `/metrics` reads at scrape time). */
  async reading(): Promise<ChangeFeedReading> {
    const [push, poll] = await Promise.all([this.#read<PushRecord>(PUSH_RECORD), this.#o.polling ? this.#read<PollRecord>(POLL_RECORD) : null]);
    return feedReading(push, this.#o.polling ? poll : null, this.#o.clock.now());
  }

  async status(): Promise<ChangeFeedStatus> {
    const { source, lagSeconds, lastEventAt } = await this.reading();
    return { source, lagSeconds, lastEventAt: lastEventAt === null ? null : new Date(lastEventAt).toISOString() };
  }

  async #read<T>(name: string): Promise<T | null> {
    const text = await this.#o.cursors.get(name);
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }

  /**
   * The change itself was applied: a record that could not be written only leaves the figures
   * behind (they catch up with the next change), so it is logged, not thrown.
   */
  async #store(name: string, record: PushRecord | PollRecord): Promise<void> {
    try {
      await this.#o.cursors.set(name, JSON.stringify(record));
    } catch (error) {
      this.#o.logger.warn('the change feed status could not be stored; its lag figure is behind until the next change', { err: loggableError(error) });
    }
  }
}

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 100) / 10);
}
