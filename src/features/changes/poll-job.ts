/**
 * The change-feed polling job, for ERPs that send no webhooks (Tryton): every interval, the
 * changes since the stored cursor, acted on like a webhook's, then the cursor moved on. At the
 * ERP budget's `background` priority, behind every read and order somebody waits for.
 *
 * - The cursor is durable (`Backends.cursors`): a restart goes on from it. With none stored yet
 *   (a first start), polling starts at the ERP's "now": the cache is empty then anyway.
 * - The cursor moves only after the changes were acted on everywhere: a poll whose broadcast
 *   failed is read again next time (acting twice only costs cache refills).
 * - One instance polls at a time: the feed's lease in the shared store, renewed by its holder
 *   each tick, taken over by another instance three intervals after the holder stopped.
 * - The ERP down is not an error of the job: the tick ends quietly and the next one tries again
 *   (ERP health reports the outage, and the feed's lag grows: `feed-monitor.ts`).
 * - A tick that read the feed to its end tells the monitor when it started: every change the ERP
 *   stamped before then has been applied (the lag's definition).
 *
 * @module
 */
import type { CursorStore } from '../../ports/cursor-store.ts';
import type { ErpChangeFeed } from '../../ports/erp/changes.ts';
import { isTransientErpError } from '../../ports/erp-error.ts';
import type { Job } from '../../ports/scheduler.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ChangeApplier } from './change-applier.ts';
import type { ChangeFeedMonitor } from './feed-monitor.ts';

/** The feed's name in the cursor store. */
export const CHANGE_FEED = 'erp-changes';

export interface ChangePollOptions {
  /** The connector (behind the budget) that can be asked what changed. */
  feed: ErpChangeFeed;
  cursors: CursorStore;
  applier: ChangeApplier;
  /** Counts the changes applied and keeps the feed's lag. */
  monitor: ChangeFeedMonitor;
  clock: Clock;
  intervalMs: number;
  /** Who holds the feed's lease. */
  instanceId: string;
  /** Most records read per model and page. @default 2000 */
  pageSize?: number;
  /** Most pages read in one tick when more are waiting; the next tick follows at once. @default 5 */
  maxPages?: number;
}

export function changePollJob(options: ChangePollOptions): Job {
  const { feed, cursors, applier, monitor, clock } = options;
  const background = { priority: 'background' as const };
  return {
    name: 'erp-change-poll',
    intervalMs: options.intervalMs,
    async tick() {
      if (!(await cursors.lease(CHANGE_FEED, options.instanceId, options.intervalMs * 3))) return;
      const startedAt = clock.now();
      try {
        let cursor = await cursors.get(CHANGE_FEED);
        if (cursor === null) {
          await cursors.set(CHANGE_FEED, await feed.changeCursorNow(background));
          await monitor.polled(startedAt, [], true);
          return;
        }
        for (let page = 0; page < (options.maxPages ?? 5); page++) {
          const read = await feed.changesSince(cursor, options.pageSize ?? 2000, background);
          if (read.changes.length > 0) await applier.apply(read.changes);
          await cursors.set(CHANGE_FEED, read.cursor);
          cursor = read.cursor;
          await monitor.polled(startedAt, read.changes, !read.more);
          if (!read.more) return;
        }
        return 0;
      } catch (error) {
        if (isTransientErpError(error)) return;
        throw error;
      }
    },
  };
}
