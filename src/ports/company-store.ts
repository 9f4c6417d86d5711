/**
 * The company store port: each ERP customer's buyer directory (who buys for it, in which roles,
 * with which limits), its settings (the role a newcomer gets) and approval rules, and the approval
 * flows of its orders waiting for a decision.
 *
 * Kept in the same backends as orders (SQLite embedded, Redis scale-out); the memory adapter
 * serves tests and the Workers read path. Every adapter runs `test/contract/company-store.contract.ts`.
 *
 * @module
 */
import type { ApprovalFlow } from '../domain/company/approval-flow.ts';
import type { ApprovalRule } from '../domain/company/approval-rules.ts';
import type { CompanyBuyer, CompanyRole, CompanySettings } from '../domain/company/directory.ts';

export interface CompanyStore {
  /** The company's settings; the defaults (`BUYER` for newcomers) until changed. */
  settings(customerId: string): Promise<CompanySettings>;
  /** Sets the role a subject seen for the first time is given. */
  setDefaultRole(customerId: string, role: CompanyRole): Promise<CompanySettings>;
  /** One entry of the directory, or `null` for a subject never seen. */
  buyer(customerId: string, subject: string): Promise<CompanyBuyer | null>;
  /**
   * The entry of `subject`, registering them first if never seen (with the company's default role,
   * no limits). Two first requests at once register once: both get the same entry.
   */
  ensureBuyer(customerId: string, subject: string, now: number): Promise<CompanyBuyer>;
  /** Writes an entry (creating or replacing it). */
  putBuyer(buyer: CompanyBuyer): Promise<CompanyBuyer>;
  /** The company's directory, by subject. */
  buyers(customerId: string, options: { limit: number }): Promise<CompanyBuyer[]>;
  /** The company's approval rules, by id. */
  rules(customerId: string): Promise<ApprovalRule[]>;
  /** Creates or replaces a rule (by its id). */
  putRule(customerId: string, rule: ApprovalRule): Promise<void>;
  /** Removes a rule; false when there was none with `ruleId`. */
  removeRule(customerId: string, ruleId: string): Promise<boolean>;
  /**
   * Records a new flow (version 0). Written before its order, so an order waiting for approval
   * always has its flow; a flow whose order was never written is ignored by readers.
   */
  createFlow(flow: ApprovalFlow): Promise<void>;
  flow(orderId: string): Promise<ApprovalFlow | null>;
  /**
   * Replaces a flow with `next` (whose version is the stored one plus one) if the stored one is
   * still at `next.version - 1`; false (nothing written) when another step got there first.
   */
  updateFlow(next: ApprovalFlow): Promise<boolean>;
  /**
   * The company's flows still `PENDING`, oldest first, at most `limit`; with `after` (an order
   * id), those created after it (the next page).
   */
  pendingFlows(customerId: string, options: { limit: number; after?: string | null }): Promise<ApprovalFlow[]>;
  close(): Promise<void>;
}
