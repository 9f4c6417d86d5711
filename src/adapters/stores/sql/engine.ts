/**
 * What the SQL stores need of a SQLite database, whichever runtime holds it: Node's `node:sqlite`
 * (the embedded set, `sqlite/database.ts`) or a Durable Object's SQLite storage (`ctx.storage.sql`,
 * `durable-object/sql-engine.ts`). A store written against this runs the same SQL on both, so both
 * keep the same rules and pass the same contract suite.
 *
 * Synchronous on purpose: both databases are in the process (or the object) that runs the store,
 * and a store step with no await inside cannot interleave with another one.
 *
 * @module
 */

/** A bound parameter. A bigint is passed on as a number when it is a safe integer, else as text. */
export type SqlParam = string | number | bigint | null;

export interface SqlEngine {
  /** The first row `text` yields, if any. */
  get<T>(text: string, ...params: SqlParam[]): T | undefined;
  /** Every row `text` yields. */
  all<T>(text: string, ...params: SqlParam[]): T[];
  /** Runs a write; resolves to the rows it changed itself (not those its triggers changed). */
  run(text: string, ...params: SqlParam[]): number;
  /** Runs `fn` as one transaction: all of its writes, or (when it throws) none. */
  transaction<T>(fn: () => T): T;
}
