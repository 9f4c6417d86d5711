/**
 * One erpfront process per DATA_DIR: the embedded order queue is a SQLite file that one process
 * drains. A second process pointed at the same directory is refused at start.
 *
 * The lock is SQLite's own exclusive lock on `DATA_DIR/erpfront.lock.db` (an OS-level `fcntl`
 * lock underneath), taken with `locking_mode=EXCLUSIVE` and kept for the life of the process.
 * Taking it is one atomic step in the kernel, not a check of a pid file followed by a write, so
 * two processes started at the same instant cannot both get it, and a pid reused by an unrelated
 * process means nothing. The kernel drops it when the process dies, even by `kill -9`: there is
 * no stale lock to take over and no lock file to clean up (the `.db` file stays, unlocked).
 *
 * `fuser DATA_DIR/erpfront.lock.db` (or `lsof`) names the process holding it.
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConfigError } from '../config/env.ts';

/** The lock's file under DATA_DIR. */
export const LOCK_FILE = 'erpfront.lock.db';

const BUSY = /SQLITE_BUSY|database is locked/i;
/**
 * The connections holding locks. Referenced here so the lock lives as long as the process, not as
 * long as the caller keeps the release function: a collected connection would close, and unlock.
 */
const held = new Set<DatabaseSync>();

/** How long a lock must stay held before a start is refused (two starting together sort it out sooner). */
const BUSY_WAIT_MS = 500;

/**
 * Takes the lock on `dataDir` (created if missing); returns its release.
 * @throws {ConfigError} when another process holds it (a configuration problem: two instances
 *   were given one DATA_DIR), with what to do; any other failure as it is
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  // Two processes arriving together can block each other on SQLite's way to EXCLUSIVE (each
  // holding the SHARED step), and both be told BUSY. Each then lets go entirely and tries again
  // after a random pause, so one of them gets it; a lock that is really held stays BUSY throughout.
  const giveUpAt = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const db = tryLock(path);
    if (db) return release(db);
    if (Date.now() >= giveUpAt) {
      throw new ConfigError([
        `DATA_DIR ${dataDir} is in use by another erpfront process (it holds ${LOCK_FILE}; \`fuser ${path}\` names it). Give each instance its own DATA_DIR, or share Redis (REDIS_URL) to run several.`,
      ]);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 30);
  }
}

/** The connection holding the lock, or `null` when another one holds (or is taking) it. */
function tryLock(path: string): DatabaseSync | null {
  // timeout 0: BUSY at once, never SQLite's busy handler (the retry above decides).
  const db = new DatabaseSync(path, { timeout: 0 });
  try {
    // No journal: nothing is ever written here, and no journal can be left for the next process
    // to roll back. BEGIN EXCLUSIVE takes SQLite's EXCLUSIVE lock at once; the transaction is
    // never committed, so the lock is held until the connection closes or the process dies.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = OFF');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    if (error instanceof Error && BUSY.test(`${(error as { code?: string }).code ?? ''} ${error.message}`)) return null;
    throw error;
  }
}

function release(db: DatabaseSync): () => void {
  held.add(db);
  return () => {
    if (!held.delete(db)) return;
    // Closing the connection drops the lock; only this process's own connection can do that.
    db.close();
  };
}
