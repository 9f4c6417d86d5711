/**
 * The company directory as erpfront's features use it: who someone is in their company (registered
 * on first sight with the company's default role), changes to buyers (by a company admin or
 * operations, the policy decides who), and designating an admin — one call the onboarding of new
 * customers (registerCompany) and the ERP's primary contact use too.
 *
 * The first buyer of a company is not made admin for being first. While a company has no admin,
 * the buyer whose subject is the ERP account's primary contact is made its admin when seen (actor
 * `erp:primary-contact`); once the company has an admin, admins and operations alone decide.
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
import type { AuditLog } from '../../../ports/audit-log.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { CompanyStore } from '../../../ports/company-store.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { Logger } from '../../../ports/logger.ts';
import { auditAction } from '../../../services/ops-audit.ts';
import type { RequestScope } from '../../../services/request-scope.ts';

/** Where changes to who may do what in a company are recorded, with every ops action. */
export interface DirectoryAudit {
  log: AuditLog;
  logger: Logger;
}

/** Who is asking, and the request's ERP reads (the account is read through them: cached, batched). */
export type MemberScope = Pick<RequestScope, 'principal' | 'reader' | 'log'>;

/** The actor recorded when the ERP's primary contact is made a company's first admin. */
export const PRIMARY_CONTACT_ACTOR = 'erp:primary-contact';

/** Companies remembered as having an admin; past this many the memory starts over (it is only a shortcut). */
const MAX_REMEMBERED = 10_000;

export class CompanyDirectory {
  readonly store: CompanyStore;
  private readonly clock: Clock;
  private readonly audit: DirectoryAudit;
  /**
   * Companies known to have an admin: their buyers are never compared with the primary contact
   * again. Sound because a company does not lose its last admin (`LAST_ADMIN`; should two admins
   * demote each other at one instant, operations designate one again); per process, so each
   * instance learns it on its own (at the cost of one directory read).
   */
  readonly #hasAdmin = new Set<string>();
  /** Designations of a primary contact under way, by company: two first requests designate once. */
  readonly #designating = new Map<string, Promise<CompanyBuyer | null>>();

  constructor(store: CompanyStore, clock: Clock, audit: DirectoryAudit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * The caller's entry in `customerId`'s directory: registered on first sight when they are a
   * buyer of that very company (their token says so); `null` for anyone else (reps, operations,
   * PunchOut sessions), who hold no company role. While the company has no admin, a buyer who is
   * the ERP account's primary contact is made its admin here.
   */
  async member(scope: MemberScope, customerId: string | null): Promise<CompanyBuyer | null> {
    const { principal } = scope;
    if (customerId === null || !principal.roles.has('buyer') || principal.customerId !== customerId) return null;
    const buyer = await this.store.ensureBuyer(customerId, principal.subject, this.clock.now());
    if (buyer.roles.includes('ADMIN') || this.#hasAdmin.has(customerId)) return buyer;
    return (await this.#adminIfPrimaryContact(scope, buyer)) ?? buyer;
  }

  /**
   * `buyer` made admin when they are the account's primary contact and the company has no admin;
   * `null` otherwise. The account comes from the request's reader (in the cache on the warm path:
   * no ERP call); when the ERP cannot say, the buyer keeps their role for this request and the
   * next sight asks again.
   */
  async #adminIfPrimaryContact(scope: MemberScope, buyer: CompanyBuyer): Promise<CompanyBuyer | null> {
    const { customerId, subject } = buyer;
    let contact: string | null;
    try {
      // `?? null`: an account cached before the field existed has none.
      contact = (await scope.reader.account(customerId)).value.primaryContact ?? null;
    } catch (error) {
      // The code only: an ERP's message may name its hosts.
      const code = error instanceof ErpError ? error.code : 'UNKNOWN';
      scope.log.debug('primary contact not checked: the ERP account could not be read', { customerId, code });
      return null;
    }
    if (contact === null || contact.trim().toLowerCase() !== subject.toLowerCase()) return null;
    let pending = this.#designating.get(customerId);
    if (!pending) {
      pending = this.#designatePrimaryContact(scope, customerId, subject).finally(() => this.#designating.delete(customerId));
      this.#designating.set(customerId, pending);
    }
    // Another spelling of the same address at the same instant: one of them is the admin.
    const admin = await pending;
    return admin?.subject === subject ? admin : null;
  }

  async #designatePrimaryContact(scope: MemberScope, customerId: string, subject: string): Promise<CompanyBuyer | null> {
    // Only a company without any admin: one designated by operations or another admin stays in charge.
    if (await this.otherAdmin(customerId, subject)) {
      this.#rememberAdmin(customerId);
      return null;
    }
    const admin = await this.designateAdmin(customerId, subject, PRIMARY_CONTACT_ACTOR);
    scope.log.info("company admin designated: the ERP account's primary contact", { customerId, subject, roles: admin.roles });
    return admin;
  }

  #rememberAdmin(customerId: string): void {
    if (this.#hasAdmin.size >= MAX_REMEMBERED) this.#hasAdmin.clear();
    this.#hasAdmin.add(customerId);
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
    if (saved.roles.includes('ADMIN')) this.#rememberAdmin(customerId);
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
