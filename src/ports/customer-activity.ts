/**
 * The customer activity port: which customers buyers or sales reps acted for lately, and when
 * last. The price sheet keeps the prices of these customers warm so they can still be priced and
 * order while the ERP is down; a customer nobody acted for in a while drops out of it.
 *
 * Embedded: a SQLite file under DATA_DIR (a restart remembers last week's buyers). Scale-out: one
 * Redis sorted set, so the instance that runs the sheet knows the customers every instance saw.
 * Memory (Workers, tests): this process only. Every implementation runs the contract suite in
 * `test/contract/customer-activity.contract.ts`.
 *
 * @module
 */
export interface CustomerActivityStore {
  /**
   * Records that `customerIds` were acted for at `at` (epoch ms). A customer's last-seen instant
   * only moves forward: an older `at` than the one stored changes nothing.
   */
  touch(customerIds: readonly string[], at: number): Promise<void>;
  /** The customers last seen at or after `since` (epoch ms), by id, ascending. */
  seenSince(since: number): Promise<string[]>;
  /** Forgets customers last seen before `before`; resolves with how many were forgotten. */
  forgetBefore(before: number): Promise<number>;
  close(): Promise<void>;
}
