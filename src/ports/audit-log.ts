/**
 * The audit log port: every operations action, who took it, on what, when, and how it ended.
 * Replaying, releasing and cancelling an order, running reconciliation, invalidating the cache,
 * logging in to and out of the console: each writes one entry, from the service that carries the
 * action out (not the transport), so the console, GraphQL and the HTTP endpoints are audited alike.
 *
 * Entries are appended, never changed. Embedded: a SQLite file under DATA_DIR. Scale-out: Redis,
 * shared by every instance (an action taken on one shows on all). Memory (Workers, tests): this
 * process only. Every adapter runs `test/contract/audit-log.contract.ts`.
 *
 * @module
 */

/** How the action ended: done, refused (wrong state, unknown order, not allowed), or failed (a store or the ERP). */
export type AuditResult = 'ok' | 'refused' | 'failed';

/** What is written. */
export interface AuditRecord {
  /** UTC ISO 8601. */
  at: string;
  /** Who: the token's subject (a person or a service account). */
  actor: string;
  /** What, as an access-policy action where there is one: `order.replay`, `reconciliation.run`, `console.login`. */
  action: string;
  /** On what: an order id; `null` for actions on no one record (a reconciliation run, a login). */
  target: string | null;
  result: AuditResult;
  /** A sentence for operations: what happened (the state it moved from, why it was refused). */
  detail: string;
}

/** What is kept: the record and its id. */
export interface AuditEntry extends AuditRecord {
  /** Unique, and in order of appending within one store. */
  id: string;
}

export interface AuditLog {
  /** Appends one entry; resolves once it is stored (durably, where the store is). */
  append(record: AuditRecord): Promise<AuditEntry>;
  /** The latest entries, newest first. */
  listRecent(limit: number): Promise<AuditEntry[]>;
  /** The latest entries on `target`, newest first. */
  listByTarget(target: string, limit: number): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/** The most entries kept per target where a store bounds them (Redis); far more than one order sees. */
export const AUDIT_MAX_PER_TARGET = 1000;
