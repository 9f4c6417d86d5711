/**
 * A Durable Object's own SQLite storage (`ctx.storage.sql`) as the SQL stores' engine, and the
 * schema migrations that node:sqlite keeps in `PRAGMA user_version`, which a Durable Object may
 * not read or write (SQLITE_AUTH): here a table records each store's version instead.
 *
 * What differs from node:sqlite, and is handled here: transactions go through `transactionSync`
 * (BEGIN is refused); a cursor's `rowsWritten` counts index and trigger writes too, so the rows a
 * statement changed come from SQLite's `changes()`; bigints cannot be bound.
 *
 * @module
 */
import type { DurableObjectStorage, SqlStorageValue } from 'cloudflare:workers';
import type { SqlEngine, SqlParam } from '../sql/engine.ts';

const bind = (params: SqlParam[]): SqlStorageValue[] =>
  params.map((p) => (typeof p !== 'bigint' ? p : p <= BigInt(Number.MAX_SAFE_INTEGER) && p >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(p) : String(p)));

/** The object's SQLite as an engine: every statement runs to its end before the call returns. */
export function durableObjectSqlEngine(storage: DurableObjectStorage): SqlEngine {
  const { sql } = storage;
  return {
    get: <T>(text: string, ...params: SqlParam[]) => sql.exec<T>(text, ...bind(params)).toArray()[0],
    all: <T>(text: string, ...params: SqlParam[]) => sql.exec<T>(text, ...bind(params)).toArray(),
    run(text, ...params) {
      sql.exec(text, ...bind(params)).toArray();
      return sql.exec<{ n: number }>('SELECT changes() AS n').one().n;
    },
    transaction: (fn) => storage.transactionSync(fn),
  };
}

/**
 * Brings store `name`'s tables up to date, one migration per version, each in a transaction with
 * its version mark (a failed one leaves the previous version).
 * @throws {Error} with code `SCHEMA_TOO_NEW` when a newer erpfront already upgraded this object
 */
export function migrateDurableObjectSql(storage: DurableObjectStorage, options: { name: string; migrations: readonly string[] }): void {
  const { sql } = storage;
  sql.exec('CREATE TABLE IF NOT EXISTS erpfront_schema (name TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const version = sql.exec<{ version: number }>('SELECT version FROM erpfront_schema WHERE name = ?', options.name).toArray()[0]?.version ?? 0;
  const latest = options.migrations.length;
  if (version > latest) {
    throw Object.assign(
      new Error(`The ${options.name} Durable Object is at schema version ${version}, newer than this erpfront knows (${latest}); deploy the newer erpfront.`),
      { code: 'SCHEMA_TOO_NEW' },
    );
  }
  for (let v = version; v < latest; v++) {
    storage.transactionSync(() => {
      sql.exec(options.migrations[v]!);
      sql.exec('INSERT INTO erpfront_schema (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version', options.name, v + 1);
    });
  }
}
