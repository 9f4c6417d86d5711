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
  // Exposure as running totals, exact in millionths, kept by triggers with every status change, so
  // a credit decision reads O(1) however many orders are queued; the version moves with every change.
  `ALTER TABLE orders ADD COLUMN exposure_micros INTEGER NOT NULL DEFAULT 0;
   UPDATE orders SET exposure_micros = CASE WHEN json_extract(request, '$.payment.method') = 'ON_ACCOUNT' THEN
       CAST(CASE WHEN instr(total, '.') > 0 THEN substr(total, 1, instr(total, '.') - 1) ELSE total END AS INTEGER) * 1000000
       + CASE WHEN instr(total, '.') > 0 THEN CAST(substr(substr(total, instr(total, '.') + 1) || '000000', 1, 6) AS INTEGER) ELSE 0 END
     ELSE 0 END;
   CREATE TABLE customer_exposure (customer_id TEXT PRIMARY KEY, queued_micros INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 0);
   INSERT INTO customer_exposure (customer_id, queued_micros, version)
     SELECT customer_id, SUM(CASE WHEN status = 'QUEUED' THEN exposure_micros ELSE 0 END), 0 FROM orders GROUP BY customer_id;
   CREATE INDEX orders_submitted ON orders (status, customer_id, submitted_at);
   CREATE TRIGGER orders_exposure_insert AFTER INSERT ON orders BEGIN
     INSERT INTO customer_exposure (customer_id, queued_micros, version)
       VALUES (NEW.customer_id, CASE WHEN NEW.status = 'QUEUED' THEN NEW.exposure_micros ELSE 0 END, 1)
       ON CONFLICT (customer_id) DO UPDATE SET queued_micros = queued_micros + excluded.queued_micros, version = version + 1;
   END;
   CREATE TRIGGER orders_exposure_status AFTER UPDATE OF status ON orders WHEN OLD.status <> NEW.status BEGIN
     UPDATE customer_exposure SET
       queued_micros = queued_micros + (CASE WHEN NEW.status = 'QUEUED' THEN NEW.exposure_micros ELSE 0 END)
                                     - (CASE WHEN OLD.status = 'QUEUED' THEN OLD.exposure_micros ELSE 0 END),
       version = version + 1
     WHERE customer_id = NEW.customer_id;
   END;`,
  // Set by a holder just before it sends (the end of its lease), cleared by its verdict: a lease
  // that ran out with it set may have reached the ERP; without it, it did not.
  `ALTER TABLE orders ADD COLUMN sending_until INTEGER;`,
  // Reconciliation reads the orders of the last days (by creation), newest first.
  `CREATE INDEX orders_created ON orders (created_at);`,
  // Orders waiting for a company's approval count in its exposure as queued ones do: they will be
  // queued once approved, and a credit decision taken meanwhile must see them.
  `DROP TRIGGER orders_exposure_insert;
   DROP TRIGGER orders_exposure_status;
   CREATE TRIGGER orders_exposure_insert AFTER INSERT ON orders BEGIN
     INSERT INTO customer_exposure (customer_id, queued_micros, version)
       VALUES (NEW.customer_id, CASE WHEN NEW.status IN ('QUEUED', 'PENDING_APPROVAL') THEN NEW.exposure_micros ELSE 0 END, 1)
       ON CONFLICT (customer_id) DO UPDATE SET queued_micros = queued_micros + excluded.queued_micros, version = version + 1;
   END;
   CREATE TRIGGER orders_exposure_status AFTER UPDATE OF status ON orders WHEN OLD.status <> NEW.status BEGIN
     UPDATE customer_exposure SET
       queued_micros = queued_micros + (CASE WHEN NEW.status IN ('QUEUED', 'PENDING_APPROVAL') THEN NEW.exposure_micros ELSE 0 END)
                                     - (CASE WHEN OLD.status IN ('QUEUED', 'PENDING_APPROVAL') THEN OLD.exposure_micros ELSE 0 END),
       version = version + 1
     WHERE customer_id = NEW.customer_id;
   END;`,
  // Orders a sales rep placed on a customer's behalf: {"repId": ...} as JSON; NULL for a buyer's own.
  `ALTER TABLE orders ADD COLUMN on_behalf TEXT;`,
];
