/**
 * The SQLite schema of the order store, versioned with `PRAGMA user_version` so a newer erpfront
 * upgrades an older database in place.
 *
 * @module
 */
/** One migration per schema version, applied in order by `openSqlite`. */
export const ORDER_MIGRATIONS: readonly string[] = [
  `CREATE TABLE orders (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     customer_id TEXT NOT NULL,
     status TEXT NOT NULL,
     request TEXT NOT NULL,
     total TEXT NOT NULL,
     currency TEXT NOT NULL,
     placed_by TEXT NOT NULL,
     credit_decision TEXT NOT NULL,
     idempotency_key TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     submitted_at TEXT,
     erp_order_number TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     last_error TEXT,
     rejection TEXT,
     lease_owner TEXT,
     lease_until INTEGER
   );
   CREATE INDEX orders_queue ON orders (status, customer_id, seq);
   CREATE INDEX orders_customer ON orders (customer_id, seq);
   CREATE TABLE idempotency_keys (
     key TEXT PRIMARY KEY,
     payload_hash TEXT NOT NULL,
     state TEXT NOT NULL,
     order_id TEXT,
     claimed_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX idempotency_expiry ON idempotency_keys (expires_at);`,
  `ALTER TABLE orders ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;`,
  // Which request holds an unfinished claim: only it may complete or release the key.
  `ALTER TABLE idempotency_keys ADD COLUMN claim_id TEXT;`,
  // Before when every earlier attempt was sent (epoch ms): the ERP's time bound counts from it.
  `ALTER TABLE orders ADD COLUMN sent_before INTEGER;
   CREATE TABLE duplicate_checks (order_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL);
   CREATE INDEX duplicate_checks_due ON duplicate_checks (due_at);`,
];
