/**
 * The company store (buyer directories, approval rules, approval flows) in SQL, once, for a SQLite
 * file (`sqlite/company-store.ts`, the embedded set) and a Durable Object's SQLite storage
 * (`durable-object/company-store.ts`, Workers): the same rules on both, and the same contract suite.
 *
 * @module
 */
import type { ApprovalFlow } from '../../../domain/company/approval-flow.ts';
import type { ApprovalRule } from '../../../domain/company/approval-rules.ts';
import { newBuyer, type CompanyBuyer, type CompanyRole, type CompanySettings } from '../../../domain/company/directory.ts';
import type { CompanyStore } from '../../../ports/company-store.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const COMPANY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE company_settings (customer_id TEXT PRIMARY KEY, default_role TEXT NOT NULL);
   CREATE TABLE company_buyers (customer_id TEXT NOT NULL, subject TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (customer_id, subject));
   CREATE TABLE approval_rules (customer_id TEXT NOT NULL, rule_id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (customer_id, rule_id));
   CREATE TABLE approval_flows (order_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL);
   CREATE INDEX approval_flows_pending ON approval_flows (customer_id, status, order_id);`,
];

/** The company store over `db`, whose schema is at {@link COMPANY_MIGRATIONS}' latest; `close` closes what holds it. */
export function createSqlCompanyStore(db: SqlEngine, close: () => void): CompanyStore {
  const { transaction } = db;
  const settingsOf = (customerId: string): CompanySettings => {
    const row = db.get('SELECT default_role FROM company_settings WHERE customer_id = ?', customerId) as { default_role: string } | undefined;
    return { customerId, defaultRole: (row?.default_role as CompanyRole | undefined) ?? 'BUYER' };
  };
  const buyerOf = (customerId: string, subject: string): CompanyBuyer | null => {
    const row = db.get('SELECT data FROM company_buyers WHERE customer_id = ? AND subject = ?', customerId, subject) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as CompanyBuyer) : null;
  };

  return {
    async settings(customerId) {
      return settingsOf(customerId);
    },
    async setDefaultRole(customerId, role) {
      db.run(
        'INSERT INTO company_settings (customer_id, default_role) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET default_role = excluded.default_role',
        customerId,
        role,
      );
      return settingsOf(customerId);
    },
    async buyer(customerId, subject) {
      return buyerOf(customerId, subject);
    },
    async ensureBuyer(customerId, subject, now) {
      const known = buyerOf(customerId, subject);
      if (known) return known;
      return transaction(() => {
        const fresh = newBuyer(customerId, subject, settingsOf(customerId).defaultRole, new Date(now).toISOString());
        // Another request may have registered them since the read above: its entry stands.
        db.run('INSERT INTO company_buyers (customer_id, subject, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', customerId, subject, JSON.stringify(fresh));
        return buyerOf(customerId, subject)!;
      });
    },
    async putBuyer(buyer) {
      db.run(
        'INSERT INTO company_buyers (customer_id, subject, data) VALUES (?, ?, ?) ON CONFLICT (customer_id, subject) DO UPDATE SET data = excluded.data',
        buyer.customerId,
        buyer.subject,
        JSON.stringify(buyer),
      );
      return buyer;
    },
    async buyers(customerId, { limit }) {
      const rows = db.all('SELECT data FROM company_buyers WHERE customer_id = ? ORDER BY subject LIMIT ?', customerId, limit) as Array<{ data: string }>;
      return rows.map((r) => JSON.parse(r.data) as CompanyBuyer);
    },
    async rules(customerId) {
      const rows = db.all('SELECT data FROM approval_rules WHERE customer_id = ? ORDER BY rule_id', customerId) as Array<{ data: string }>;
      return rows.map((r) => JSON.parse(r.data) as ApprovalRule);
    },
    async putRule(customerId, rule) {
      db.run(
        'INSERT INTO approval_rules (customer_id, rule_id, data) VALUES (?, ?, ?) ON CONFLICT (customer_id, rule_id) DO UPDATE SET data = excluded.data',
        customerId,
        rule.id,
        JSON.stringify(rule),
      );
    },
    async removeRule(customerId, ruleId) {
      return db.run('DELETE FROM approval_rules WHERE customer_id = ? AND rule_id = ?', customerId, ruleId) === 1;
    },
    async createFlow(flow) {
      const made = db.run(
        'INSERT INTO approval_flows (order_id, customer_id, status, version, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        flow.orderId,
        flow.customerId,
        flow.status,
        flow.version,
        JSON.stringify(flow),
      );
      if (made !== 1) throw new Error(`approval flow for ${flow.orderId} exists already`);
    },
    async flow(orderId) {
      const row = db.get('SELECT data FROM approval_flows WHERE order_id = ?', orderId) as { data: string } | undefined;
      return row ? (JSON.parse(row.data) as ApprovalFlow) : null;
    },
    async updateFlow(next) {
      const changed = db.run(
        'UPDATE approval_flows SET status = ?, version = ?, data = ? WHERE order_id = ? AND version = ?',
        next.status,
        next.version,
        JSON.stringify(next),
        next.orderId,
        next.version - 1,
      );
      return changed === 1;
    },
    async pendingFlows(customerId, { limit, after }) {
      const rows = db.all(
        "SELECT data FROM approval_flows WHERE customer_id = ? AND status = 'PENDING' AND order_id > ? ORDER BY order_id LIMIT ?",
        customerId,
        after ?? '',
        limit,
      ) as Array<{ data: string }>;
      return rows.map((r) => JSON.parse(r.data) as ApprovalFlow);
    },
    async close() {
      close();
    },
  };
}
