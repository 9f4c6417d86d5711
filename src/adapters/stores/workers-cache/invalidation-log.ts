/**
 * The cache invalidation log on Cloudflare: one global SQLite-backed Durable Object
 * (`CacheInvalidationObject`, wrangler.toml's `CACHE_EVENTS`, named `cache`) keeps the recent
 * invalidation messages in order, each with a sequence number and the instant it was appended.
 * Workers isolates cannot hold a subscription between requests, so instead of a push (Redis
 * pub/sub) each isolate reads what was appended since its cursor (`invalidation-bus.ts`).
 *
 * Bounded two ways: messages older than `keepMs` go (no shared entry they could mask is kept that
 * long), and past `maxEntries` the oldest go early. Those dropped early raise the floor: the instant
 * below which a reader must treat every shared entry as invalidated, since it can no longer learn
 * which ones were.
 *
 * @module
 */
import { DurableObject, type DurableObjectState } from 'cloudflare:workers';

/** How long and how many messages the log keeps; every caller sends its own configuration. */
export interface InvalidationLogLimits {
  keepMs: number;
  maxEntries: number;
}

/** One message of the log. */
export interface LoggedInvalidation {
  seq: number;
  /** When it was appended (epoch ms, the object's clock). */
  at: number;
  /** The port's message, as JSON. */
  message: string;
}

/** What a reader gets: messages after its cursor, oldest first, and what it may have missed. */
export interface InvalidationPage {
  entries: LoggedInvalidation[];
  /** More messages follow the last of `entries`: read again from its `seq`. */
  more: boolean;
  /** Messages after the reader's cursor were dropped before it read them. */
  missed: boolean;
  /** Shared entries fetched at or before this instant (epoch ms) are to be treated as invalidated; 0: none. */
  floorAt: number;
  /** The last sequence number handed out (0 before the first): a new reader's cursor. */
  head: number;
}

/** Messages a reader gets per call: a reader far behind reads in several calls. */
const PAGE = 500;

/** The Durable Object class of wrangler.toml's `CACHE_EVENTS` binding. */
export class CacheInvalidationObject extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS invalidations (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, message TEXT NOT NULL)');
    // head: the last seq handed out (kept apart from the rows, so a seq is never handed out twice
    // after a trim); dropped: the highest seq trimmed so far; floor_at: the latest `at` trimmed early.
    sql.exec(
      'CREATE TABLE IF NOT EXISTS invalidation_state (id INTEGER PRIMARY KEY CHECK (id = 1), head INTEGER NOT NULL, last_at INTEGER NOT NULL, dropped INTEGER NOT NULL, floor_at INTEGER NOT NULL)',
    );
    sql.exec('INSERT OR IGNORE INTO invalidation_state (id, head, last_at, dropped, floor_at) VALUES (1, 0, 0, 0, 0)');
  }

  /** Appends a message (RPC); its sequence number and instant. */
  append(message: string, limits: InvalidationLogLimits): { seq: number; at: number } {
    const sql = this.ctx.storage.sql;
    return this.ctx.storage.transactionSync(() => {
      const state = sql.exec<{ head: number; last_at: number }>('SELECT head, last_at FROM invalidation_state WHERE id = 1').one();
      const seq = state.head + 1;
      // Never earlier than the previous message: readers compare instants, not only sequence numbers.
      const at = Math.max(Date.now(), state.last_at);
      sql.exec('INSERT INTO invalidations (seq, at, message) VALUES (?, ?, ?)', seq, at, message);
      sql.exec('UPDATE invalidation_state SET head = ?, last_at = ? WHERE id = 1', seq, at);
      this.#trim(seq, at, limits);
      return { seq, at };
    });
  }

  /** The messages after `cursor` (RPC); `cursor` null: a new reader, which gets every message kept. */
  since(cursor: number | null): InvalidationPage {
    const sql = this.ctx.storage.sql;
    const state = sql.exec<{ head: number; dropped: number; floor_at: number }>('SELECT head, dropped, floor_at FROM invalidation_state WHERE id = 1').one();
    const rows = sql.exec<LoggedInvalidation>('SELECT seq, at, message FROM invalidations WHERE seq > ? ORDER BY seq LIMIT ?', cursor ?? 0, PAGE + 1).toArray();
    return {
      entries: rows.slice(0, PAGE),
      more: rows.length > PAGE,
      missed: cursor !== null && cursor < state.dropped,
      floorAt: state.floor_at,
      head: state.head,
    };
  }

  #trim(seq: number, now: number, limits: InvalidationLogLimits): void {
    const sql = this.ctx.storage.sql;
    // Past maxEntries: the oldest go before their time, and the floor rises to the newest of them.
    const early = sql
      .exec<{ seq: number | null; at: number | null }>('SELECT MAX(seq) AS seq, MAX(at) AS at FROM invalidations WHERE seq <= ?', seq - limits.maxEntries)
      .one();
    if (early.seq !== null) {
      sql.exec('DELETE FROM invalidations WHERE seq <= ?', early.seq);
      sql.exec('UPDATE invalidation_state SET dropped = MAX(dropped, ?), floor_at = MAX(floor_at, ?) WHERE id = 1', early.seq, early.at ?? 0);
    }
    // Past keepMs: no shared entry they could mask is kept any more, so the floor stays.
    const aged = sql.exec<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM invalidations WHERE at < ?', now - limits.keepMs).one();
    if (aged.seq !== null) {
      sql.exec('DELETE FROM invalidations WHERE seq <= ?', aged.seq);
      sql.exec('UPDATE invalidation_state SET dropped = MAX(dropped, ?) WHERE id = 1', aged.seq);
    }
  }
}
