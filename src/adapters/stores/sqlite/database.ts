/**
 * One SQLite database of erpfront's, opened the way every embedded store needs it: WAL, commits
 * synced to disk (`synchronous=FULL`: what was acknowledged survives `kill -9` and a power cut),
 * the schema brought up to date by numbered migrations (`PRAGMA user_version`), prepared
 * statements cached, and write transactions that take the lock up front.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqlEngine, SqlParam } from '../sql/engine.ts';

export interface SqliteDatabase {
  readonly db: DatabaseSync;
  /** The prepared statement for `text`, prepared once. */
  sql(text: string): StatementSync;
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE: the write lock up front, no upgrade deadlock). */
  transaction<T>(fn: () => T): T;
  /** The same database for the runtime-neutral SQL stores (`../sql/`). */
  readonly engine: SqlEngine;
}

export interface OpenSqliteOptions {
  /** The file, or `:memory:` for tests. */
  path: string;
  /** The file's name in messages, e.g. `orders.sqlite`. */
  name: string;
  /** The schema, one migration per version: never edit one that shipped, append a new one. */
  migrations: readonly string[];
  /** Extra PRAGMAs, e.g. `foreign_keys = ON`. */
  pragmas?: readonly string[];
}

/**
 * Opens (creating or upgrading) a database.
 * @throws {Error} with code `SCHEMA_TOO_NEW` when a newer erpfront already upgraded the file; the
 *   SQLite error of a failed migration (the database stays at the previous version)
 */
export function openSqlite(options: OpenSqliteOptions): SqliteDatabase {
  const db = new DatabaseSync(options.path);
  const pragmas = ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', ...(options.pragmas ?? [])];
  db.exec(pragmas.map((p) => `PRAGMA ${p};`).join(' '));

  const statements = new Map<string, StatementSync>();
  const sql = (text: string) => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    return statement;
  };
  const transaction = <T>(fn: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };

  const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  const latest = options.migrations.length;
  if (version > latest) {
    db.close();
    throw Object.assign(
      new Error(`${options.name} is at schema version ${version}, newer than this erpfront knows (${latest}); run the newer erpfront, or restore a backup.`),
      { code: 'SCHEMA_TOO_NEW' },
    );
  }
  for (let v = version; v < latest; v++) {
    transaction(() => {
      db.exec(options.migrations[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    });
  }
  const engine: SqlEngine = {
    get: <T>(text: string, ...params: SqlParam[]) => sql(text).get(...params) as T | undefined,
    all: <T>(text: string, ...params: SqlParam[]) => sql(text).all(...params) as T[],
    run: (text, ...params) => Number(sql(text).run(...params).changes),
    transaction,
  };
  return { db, sql, transaction, engine };
}
