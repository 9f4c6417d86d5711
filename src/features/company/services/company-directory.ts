/**
 * The company directory as erpfront's features use it: who someone is in their company (registered
 * on first sight with the company's default role), changes to buyers (by a company admin or
 * operations, the policy decides who), and designating an admin — one call the onboarding of new
 * customers (registerCompany) and the ERP's primary contact use too.
 *
 * @module
 */
import {
  applyBuyerChange,
  newBuyer,
  normalRoles,
  validateBuyerChange,
  type BuyerChange,
  type CompanyBuyer,
  type CompanyUserError,
} from '../../../domain/company/directory.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { AuditLog } from '../../../ports/audit-log.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { CompanyStore } from '../../../ports/company-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import { auditAction } from '../../../services/ops-audit.ts';

/** Where changes to who may do what in a company are recorded, with every ops action. */
export interface DirectoryAudit {
  log: AuditLog;
  logger: Logger;
}

export class CompanyDirectory {
  readonly store: CompanyStore;
  private readonly clock: Clock;
  private readonly audit: DirectoryAudit;

  constructor(store: CompanyStore, clock: Clock, audit: DirectoryAudit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * The principal's entry in `customerId`'s directory: registered on first sight when they are a
   * buyer of that very company (their token says so); `null` for anyone else (reps, operations,
   * PunchOut sessions), who hold no company role.
   */
  async member(principal: Principal, customerId: string | null): Promise<CompanyBuyer | null> {
    if (customerId === null || !principal.roles.has('buyer') || principal.customerId !== customerId) return null;
    return this.store.ensureBuyer(customerId, principal.subject, this.clock.now());
  }

  /**
   * Creates or changes `change.subject`'s entry in `customerId`'s directory, on behalf of `by`
   * (access is the caller's to check, with the policy's `company.manageBuyers`).
   */
  async setBuyer(customerId: string, change: BuyerChange, by: string): Promise<{ buyer: CompanyBuyer } | { userErrors: CompanyUserError[] }> {
    const errors = validateBuyerChange(change);
    if (errors.length) return { userErrors: errors };
    const nowIso = new Date(this.clock.now()).toISOString();
    const existing = await this.store.buyer(customerId, change.subject);
    const current = existing ?? newBuyer(customerId, change.subject, 'BUYER', nowIso);
    const next = applyBuyerChange(current, change, by, nowIso);
    if (current.roles.includes('ADMIN') && !next.roles.includes('ADMIN') && !(await this.otherAdmin(customerId, change.subject))) {
      return {
        userErrors: [
          { code: 'LAST_ADMIN', message: `${change.subject} is the company's only admin: make someone else ADMIN first.`, field: ['input', 'roles'] },
        ],
      };
    }
    const saved = await this.store.putBuyer(next);
    // Roles and limits decide who may spend and approve: every change is on record, whoever made it.
    const describe = (b: CompanyBuyer | null) =>
      b ? `${b.roles.join('+')}, order limit ${b.orderLimit ?? 'none'}, monthly limit ${b.monthlyLimit ?? 'none'}` : 'not listed';
    await auditAction(
      this.audit.log,
      {
        at: nowIso,
        actor: by,
        action: 'company.manageBuyers',
        target: `${customerId}/${change.subject}`,
        result: 'ok',
        detail: `${describe(existing)} → ${describe(saved)}`,
      },
      this.audit.logger,
    );
    return { buyer: saved };
  }

  /**
   * Makes `subject` an admin of `customerId` (keeping the roles they hold): for operations, the
   * ERP's primary contact, and an approved registration of a new customer.
   */
  async designateAdmin(customerId: string, subject: string, by: string): Promise<CompanyBuyer> {
    const current = await this.store.buyer(customerId, subject);
    // Someone new (a registration's applicant, the ERP's primary contact) buys for the company too.
    const roles = normalRoles([...(current?.roles ?? ['BUYER']), 'ADMIN']);
    const result = await this.setBuyer(customerId, { subject, roles }, by);
    if ('userErrors' in result) throw new Error(`cannot make ${subject} an admin of ${customerId}: ${result.userErrors[0]!.message}`);
    return result.buyer;
  }

  private async otherAdmin(customerId: string, subject: string): Promise<boolean> {
    return (await this.store.buyers(customerId, { limit: 10_000 })).some((b) => b.subject !== subject && b.roles.includes('ADMIN'));
  }
}
