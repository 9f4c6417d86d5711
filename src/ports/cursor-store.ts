/**
 * The cursor store port: where a polling job keeps how far it has read a feed (the ERP's change
 * feed), durably, so a restart goes on from there instead of missing what changed meanwhile or
 * reading the ERP's history again. Also who polls: where several instances share the store, one
 * at a time holds a feed's lease and the others skip their tick, so the ERP is polled once.
 *
 * Embedded: a SQLite file under DATA_DIR. Scale-out: Redis. Memory (Workers, tests): this
 * process only.
 *
 * @module
 */
export interface CursorStore {
  /** The stored cursor of `feed`, or `null` before the first one is stored. */
  get(feed: string): Promise<string | null>;
  /** Stores `cursor` as `feed`'s position. */
  set(feed: string, cursor: string): Promise<void>;
  /**
   * Takes or renews the lease on polling `feed` for `ttlMs`: `true` when `holder` has it now
   * (it was free, expired, or already `holder`'s), `false` while another holder's runs.
   */
  lease(feed: string, holder: string, ttlMs: number): Promise<boolean>;
  /**
   * Gives up `holder`'s lease on `feed` at once (work done: another instance may take it now
   * rather than when it expires); nothing when another holder has it.
   */
  release(feed: string, holder: string): Promise<void>;
  close(): Promise<void>;
}
