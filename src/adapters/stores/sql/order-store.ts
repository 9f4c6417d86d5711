/**
 * The order store in SQL, once, for every SQLite that erpfront keeps orders in: a file through
 * `node:sqlite` (the embedded set, `sqlite/order-store.ts`) and a Durable Object's own SQLite
 * storage (the Workers set, `durable-object/order-store.ts`). The schema is `sqlite/schema.ts`'s;
 * each caller brings it up to date before handing the engine over.
 *
 * Every method is synchronous SQL (inside a transaction where it writes more than one row), so a
 * step is atomic on both: node:sqlite's `BEGIN IMMEDIATE`, a Durable Object's `transactionSync`.
 *
 * @module
 */
import { fromMicros, toMicros } from '../../../domain/money.ts';
import type { LocalOrderStatus, NewOrder, OrderStore, QueueStats, StoredOrder } from '../../../ports/order-store.ts';
import { ExposureChangedError, IdempotencyClaimLostError } from '../../../ports/store-error.ts';
import { ORDER_COLUMNS, rowToOrder, type OrderRow } from '../sqlite/order-rows.ts';
import type { SqlEngine } from './engine.ts';
import { sqlIdempotencyKeys } from './idempotency-keys.ts';

const iso = (ms: number) => new Date(ms).toISOString();
/** What the order adds to its customer's exposure while it is not in the ERP: its total, if on account. */
export const exposureMicros = (order: NewOrder) => (order.request.payment.method === 'ON_ACCOUNT' ? toMicros(order.total) : '0');

/** The order store over `db`, whose schema is at `ORDER_MIGRATIONS`' latest; `close` closes what holds it. */
export function createSqlOrderStore(db: SqlEngine, close: () => void): OrderStore {
  const { transaction } = db;
  const select = (where: string) => `SELECT ${ORDER_COLUMNS} FROM orders ${where}`;
  const getOrder = (id: string) => {
    const row = db.get<OrderRow>(select('WHERE id = ?'), id);
    return row ? rowToOrder(row) : null;
  };
  const orders = (rows: OrderRow[]) => rows.map(rowToOrder);

  const currentVersion = (customerId: string) =>
    String(db.get<{ version: number }>('SELECT version FROM customer_exposure WHERE customer_id = ?', customerId)?.version ?? 0);

  return {
    ...sqlIdempotencyKeys(db),

    async insert(order: NewOrder, { now, idempotency, exposureVersion }) {
      return transaction(() => {
        if (exposureVersion !== undefined && currentVersion(order.customerId) !== exposureVersion) throw new ExposureChangedError(order.customerId);
        if (idempotency) {
          const held = db.run(
            "UPDATE idempotency_keys SET state = 'DONE', order_id = ? WHERE key = ? AND state = 'IN_PROGRESS' AND claim_id = ?",
            order.id,
            idempotency.key,
            idempotency.claimId,
          );
          if (held !== 1) throw new IdempotencyClaimLostError(idempotency.key);
        }
        db.run(
          `INSERT INTO orders (id, customer_id, status, request, total, currency, placed_by, on_behalf, credit_decision, idempotency_key,
               created_at, updated_at, attempts, next_attempt_at, exposure_micros)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
          order.id,
          order.customerId,
          order.status,
          JSON.stringify(order.request),
          order.total,
          order.currency,
          order.placedBy,
          order.onBehalf ? JSON.stringify(order.onBehalf) : null,
          JSON.stringify(order.creditDecision),
          order.idempotencyKey,
          iso(now),
          iso(now),
          now,
          exposureMicros(order),
        );
        return getOrder(order.id)!;
      });
    },

    async get(id) {
      return getOrder(id);
    },

    async listByCustomer(customerId, { statuses, limit }) {
      const filter = statuses?.length ? `AND status IN (${statuses.map(() => '?').join(',')})` : '';
      return orders(db.all<OrderRow>(select(`WHERE customer_id = ? ${filter} ORDER BY seq DESC LIMIT ?`), customerId, ...(statuses ?? []), limit));
    },

    async listByStatus(statuses, { limit }) {
      return orders(db.all<OrderRow>(select(`WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY seq LIMIT ?`), ...statuses, limit));
    },

    async listRecent(status, { since, beforeSeq, limit }) {
      return orders(
        db.all<OrderRow>(
          select('WHERE status = ? AND created_at >= ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
          status,
          iso(since),
          beforeSeq ?? Number.MAX_SAFE_INTEGER,
          limit,
        ),
      );
    },

    async lease(owner, { now, limit, leaseMs }) {
      return transaction(() => {
        // The head of each customer's queue only: a customer's second order waits for its first,
        // so the ERP receives every customer's orders in the order they were placed.
        // A lease still recorded here ended without a verdict (its holder died or ran out of time).
        // If it had begun sending, that attempt may have reached the ERP: in doubt, sent before the lease ended.
        const rows = db.all<OrderRow>(
          `UPDATE orders SET in_doubt = CASE WHEN sending_until IS NOT NULL THEN 1 ELSE in_doubt END,
          sent_before = CASE WHEN sending_until IS NOT NULL THEN MAX(COALESCE(sent_before, 0), sending_until) ELSE sent_before END,
          sending_until = NULL,
          lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
          WHERE id IN (
            SELECT o.id FROM orders o
            WHERE o.status = 'QUEUED' AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)
              AND NOT EXISTS (SELECT 1 FROM orders p WHERE p.customer_id = o.customer_id AND p.status = 'QUEUED' AND p.seq < o.seq)
            ORDER BY o.seq LIMIT ?)
          RETURNING ${ORDER_COLUMNS}`,
          owner,
          now + leaseMs,
          iso(now),
          now,
          now,
          limit,
        );
        return orders(rows).sort((a, b) => a.seq - b.seq);
      });
    },

    async markSending(id, owner, sendingUntil) {
      return db.run(`UPDATE orders SET sending_until = ? WHERE id = ? AND status = 'QUEUED' AND lease_owner = ?`, sendingUntil, id, owner) === 1;
    },

    async markSubmitted(id, erpOrderNumber, now, options) {
      transaction(() => {
        db.run(
          `UPDATE orders SET status = 'SUBMITTED', erp_order_number = ?, submitted_at = ?, updated_at = ?, lease_owner = NULL,
             lease_until = NULL, sending_until = NULL, last_error = NULL, in_doubt = 0 WHERE id = ?`,
          erpOrderNumber,
          iso(now),
          iso(now),
          id,
        );
        if (options?.checkDuplicatesAt !== undefined) {
          db.run(
            'INSERT INTO duplicate_checks (order_id, due_at) VALUES (?, ?) ON CONFLICT (order_id) DO UPDATE SET due_at = excluded.due_at',
            id,
            options.checkDuplicatesAt,
          );
        }
      });
    },

    async dueDuplicateChecks(now, { limit, leaseMs }) {
      return transaction(() => {
        const ids = db
          .all<{ order_id: string }>('SELECT order_id FROM duplicate_checks WHERE due_at <= ? ORDER BY due_at LIMIT ?', now, limit)
          .map((r) => r.order_id);
        for (const id of ids) db.run('UPDATE duplicate_checks SET due_at = ? WHERE order_id = ?', now + leaseMs, id);
        return ids.map(getOrder).filter((o): o is StoredOrder => o !== null);
      });
    },

    async finishDuplicateCheck(id) {
      db.run('DELETE FROM duplicate_checks WHERE order_id = ?', id);
    },

    async markRetry(id, { error, nextAttemptAt, inDoubt, sentBefore, owner }, now) {
      db.run(
        `UPDATE orders SET next_attempt_at = ?, last_error = ?, in_doubt = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL,
           sending_until = NULL, sent_before = CASE WHEN ? IS NULL THEN sent_before ELSE MAX(COALESCE(sent_before, 0), ?) END
           WHERE id = ? AND status = 'QUEUED' AND (? IS NULL OR lease_owner = ?)`,
        nextAttemptAt,
        error,
        inDoubt ? 1 : 0,
        iso(now),
        sentBefore ?? null,
        sentBefore ?? null,
        id,
        owner ?? null,
        owner ?? null,
      );
    },

    async releaseLeases(now) {
      return db.run(
        `UPDATE orders SET in_doubt = CASE WHEN sending_until IS NOT NULL THEN 1 ELSE in_doubt END,
           sent_before = CASE WHEN sending_until IS NOT NULL THEN MAX(COALESCE(sent_before, 0), MIN(sending_until, ?)) ELSE sent_before END,
           sending_until = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
           WHERE lease_owner IS NOT NULL AND status = 'QUEUED'`,
        now,
        iso(now),
      );
    },

    async pendingExposure(customerId, submittedSince) {
      return transaction(() => {
        const row = db.get<{ queued_micros: number | bigint; version: number | bigint }>(
          'SELECT queued_micros, version FROM customer_exposure WHERE customer_id = ?',
          customerId,
        );
        // The few orders submitted since the ERP's figures were read: one index range.
        const since = db.get<{ micros: number | bigint }>(
          `SELECT COALESCE(SUM(exposure_micros), 0) AS micros FROM orders
          WHERE status = 'SUBMITTED' AND customer_id = ? AND submitted_at > ?`,
          customerId,
          submittedSince,
        )!;
        const micros = BigInt(row?.queued_micros ?? 0) + BigInt(since.micros);
        return { total: fromMicros(micros), version: String(row?.version ?? 0) };
      });
    },

    async markRejected(id, rejection, now) {
      // A verdict: the attempt's send is over (an answer, however unwelcome).
      db.run(
        `UPDATE orders SET status = 'REJECTED', rejection = ?, last_error = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL,
           sending_until = NULL WHERE id = ?`,
        JSON.stringify(rejection),
        rejection.message,
        iso(now),
        id,
      );
    },

    async transition(id, from: LocalOrderStatus[], to, now) {
      return transaction(() => {
        const restart = to === 'QUEUED' ? ', attempts = 0, next_attempt_at = ?, rejection = NULL, last_error = NULL' : '';
        // A replayed dead letter keeps its doubt: the ERP refused it, but look before sending again.
        const params: Array<string | number> = [to, iso(now)];
        if (restart) params.push(now);
        const changed = db.run(
          `UPDATE orders SET status = ?, updated_at = ?${restart}, lease_owner = NULL, lease_until = NULL, sending_until = NULL
             WHERE id = ? AND status IN (${from.map(() => '?').join(',')})`,
          ...params,
          id,
          ...from,
        );
        return changed ? getOrder(id) : null;
      });
    },

    async requeueInDoubt(id, now, reason) {
      return transaction(() => {
        // The exposure trigger counts it as queued again; a pending duplicate check stays due.
        const changed = db.run(
          `UPDATE orders SET status = 'QUEUED', in_doubt = 1, sent_before = MAX(COALESCE(sent_before, 0), ?), attempts = 0,
             next_attempt_at = ?, last_error = ?, erp_order_number = NULL, submitted_at = NULL, rejection = NULL, updated_at = ?,
             lease_owner = NULL, lease_until = NULL, sending_until = NULL
             WHERE id = ? AND status = 'SUBMITTED'`,
          now,
          now,
          reason,
          iso(now),
          id,
        );
        return changed ? getOrder(id) : null;
      });
    },

    async repriceWaiting(id, { lines, total }, now) {
      return transaction(() => {
        const order = getOrder(id);
        if (order?.status !== 'PENDING_APPROVAL') return null;
        const request = { ...order.request, lines };
        const micros = exposureMicros({ ...order, request, total });
        const before = db.get<{ exposure_micros: number | bigint }>('SELECT exposure_micros FROM orders WHERE id = ?', id)!.exposure_micros;
        db.run(
          'UPDATE orders SET request = ?, total = ?, exposure_micros = ?, updated_at = ? WHERE id = ?',
          JSON.stringify(request),
          total,
          micros,
          iso(now),
          id,
        );
        // The status did not change, so the exposure trigger did not run: the running total moves here.
        db.run(
          'UPDATE customer_exposure SET queued_micros = queued_micros + ? - ?, version = version + 1 WHERE customer_id = ?',
          BigInt(micros),
          BigInt(before),
          order.customerId,
        );
        return getOrder(id);
      });
    },

    async queueStats(now): Promise<QueueStats> {
      const queued = db.get<{ depth: number; oldest: string | null }>(
        "SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM orders WHERE status = 'QUEUED'",
      )!;
      const dead = db.get<{ n: number }>("SELECT COUNT(*) AS n FROM orders WHERE status = 'REJECTED'")!;
      return {
        depth: Number(queued.depth),
        oldestAgeSeconds: queued.oldest ? Math.max(0, (now - Date.parse(queued.oldest)) / 1000) : 0,
        deadLetters: Number(dead.n),
      };
    },

    async close() {
      close();
    },
  };
}
