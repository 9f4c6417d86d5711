/**
 * The in-memory company store: one process, nothing survives a restart (tests, and the Workers
 * read path, which takes no orders). Node uses SQLite or Redis.
 *
 * @module
 */
import type { ApprovalFlow } from '../../../domain/company/approval-flow.ts';
import type { ApprovalRule } from '../../../domain/company/approval-rules.ts';
import { newBuyer, type CompanyBuyer, type CompanySettings } from '../../../domain/company/directory.ts';
import type { CompanyStore } from '../../../ports/company-store.ts';

/** Creates an empty store. */
export function createMemoryCompanyStore(): CompanyStore {
  const settings = new Map<string, CompanySettings>();
  const buyers = new Map<string, Map<string, CompanyBuyer>>();
  const rules = new Map<string, Map<string, ApprovalRule>>();
  const flows = new Map<string, ApprovalFlow>();
  const clone = <T>(value: T): T => structuredClone(value);
  const directory = (customerId: string) => {
    let d = buyers.get(customerId);
    if (!d) buyers.set(customerId, (d = new Map()));
    return d;
  };
  const ruleSet = (customerId: string) => {
    let r = rules.get(customerId);
    if (!r) rules.set(customerId, (r = new Map()));
    return r;
  };
  const settingsOf = (customerId: string): CompanySettings => settings.get(customerId) ?? { customerId, defaultRole: 'BUYER' };

  return {
    async settings(customerId) {
      return clone(settingsOf(customerId));
    },
    async setDefaultRole(customerId, role) {
      const next = { ...settingsOf(customerId), defaultRole: role };
      settings.set(customerId, next);
      return clone(next);
    },
    async buyer(customerId, subject) {
      const b = buyers.get(customerId)?.get(subject);
      return b ? clone(b) : null;
    },
    async ensureBuyer(customerId, subject, now) {
      const d = directory(customerId);
      let b = d.get(subject);
      if (!b) d.set(subject, (b = newBuyer(customerId, subject, settingsOf(customerId).defaultRole, new Date(now).toISOString())));
      return clone(b);
    },
    async putBuyer(buyer) {
      directory(buyer.customerId).set(buyer.subject, clone(buyer));
      return clone(buyer);
    },
    async buyers(customerId, { limit }) {
      return [...(buyers.get(customerId)?.values() ?? [])]
        .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
        .slice(0, limit)
        .map(clone);
    },
    async rules(customerId) {
      return [...(rules.get(customerId)?.values() ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(clone);
    },
    async putRule(customerId, rule) {
      ruleSet(customerId).set(rule.id, clone(rule));
    },
    async removeRule(customerId, ruleId) {
      return rules.get(customerId)?.delete(ruleId) ?? false;
    },
    async createFlow(flow) {
      if (flows.has(flow.orderId)) throw new Error(`approval flow for ${flow.orderId} exists already`);
      flows.set(flow.orderId, clone(flow));
    },
    async flow(orderId) {
      const f = flows.get(orderId);
      return f ? clone(f) : null;
    },
    async updateFlow(next) {
      const current = flows.get(next.orderId);
      if (!current || current.version !== next.version - 1) return false;
      flows.set(next.orderId, clone(next));
      return true;
    },
    async pendingFlows(customerId, { limit, after }) {
      return [...flows.values()]
        .filter((f) => f.customerId === customerId && f.status === 'PENDING' && (!after || f.orderId > after))
        .sort((a, b) => (a.orderId < b.orderId ? -1 : 1))
        .slice(0, limit)
        .map(clone);
    },
    async close() {},
  };
}
