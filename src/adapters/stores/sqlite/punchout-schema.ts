/**
 * The SQLite schema of the PunchOut store (`punchout.sqlite`), versioned with
 * `PRAGMA user_version` like the order store's, but in its own file and database so the two
 * schemas evolve independently.
 *
 * Records keep their full JSON (`data`) beside the columns queries need; the columns (state,
 * expiry, next attempt) are authoritative where they overlap.
 *
 * @module
 */
/** One migration per schema version, applied in order by `openSqlite`. */
export const PUNCHOUT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     data TEXT NOT NULL,
     state TEXT NOT NULL,
     start_token_hash TEXT UNIQUE,
     access_token_hash TEXT UNIQUE,
     start_expires_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_expiry ON sessions (expires_at);
   CREATE TABLE answers (
     key TEXT PRIMARY KEY,
     answer TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX answers_expiry ON answers (expires_at);
   CREATE TABLE order_links (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     order_id TEXT NOT NULL UNIQUE,
     buyer_id TEXT NOT NULL,
     buyer_order_id TEXT NOT NULL,
     data TEXT NOT NULL,
     next_attempt_at REAL NOT NULL,
     claimed_until REAL,
     forget_at INTEGER
   );
   -- forget_at is set once a link is finished: only unfinished links are ever due.
   CREATE INDEX order_links_due ON order_links (next_attempt_at) WHERE forget_at IS NULL;
   CREATE INDEX order_links_buyer ON order_links (buyer_id, buyer_order_id, seq);
   CREATE INDEX order_links_forget ON order_links (forget_at) WHERE forget_at IS NOT NULL;`,
];
