/**
 * A company's buyer directory, as data: erpfront's record of who buys for an ERP customer and in
 * which roles, with their spending limits. The identity provider says who someone is and which
 * customer they belong to (the JWT's `sub` and `customerId`); what they may do inside their
 * company comes from here, never from the token.
 *
 * @module
 */
import { Big } from '../money.ts';

/** What a person does in their company; one person may hold several. */
export type CompanyRole = 'ADMIN' | 'APPROVER' | 'BUYER';

export const COMPANY_ROLES: readonly CompanyRole[] = ['ADMIN', 'APPROVER', 'BUYER'];

/** One person in a company's directory. */
export interface CompanyBuyer {
  customerId: string;
  /** The identity provider's subject (`sub`). */
  subject: string;
  roles: CompanyRole[];
  /** Largest single order without approval, in the customer's currency; `null`: no limit. */
  orderLimit: string | null;
  /** Largest sum of their orders in a calendar month (UTC) without approval; `null`: no limit. */
  monthlyLimit: string | null;
  /** Ship-tos they may order to; `null`: any of the customer's. */
  allowedShipToIds: string[] | null;
  /** UTC ISO 8601. */
  createdAt: string;
  updatedAt: string;
  /** Who last changed the entry (`null`: registered on first sight). */
  updatedBy: string | null;
}

/** A company's own settings in erpfront. */
export interface CompanySettings {
  customerId: string;
  /** The role a subject seen for the first time is given. */
  defaultRole: CompanyRole;
}

/** A change to a directory entry, as an admin (or operations) asks for it. */
export interface BuyerChange {
  subject: string;
  roles: CompanyRole[];
  orderLimit?: string | null;
  monthlyLimit?: string | null;
  allowedShipToIds?: string[] | null;
}

/** A problem with a change, in the shape of the API's user errors. */
export interface CompanyUserError {
  code: string;
  message: string;
  field: string[];
}

const DECIMAL = /^\d{1,15}(\.\d{1,6})?$/;
const SUBJECT = /^[^\s\u0000-\u001f]{1,200}$/;

/** Checks a limit: a non-negative decimal string, or `null`/absent for none. */
export function limitError(value: string | null | undefined, field: string): CompanyUserError | null {
  if (value === null || value === undefined) return null;
  if (!DECIMAL.test(value.trim())) {
    return {
      code: 'INVALID_LIMIT',
      message: `${field} must be a non-negative decimal amount such as 1000 or 1000.00 (got ${JSON.stringify(value.slice(0, 40))}).`,
      field: ['input', field],
    };
  }
  return null;
}

/** Everything wrong with `change`; empty when it can be applied. */
export function validateBuyerChange(change: BuyerChange): CompanyUserError[] {
  const errors: CompanyUserError[] = [];
  if (!SUBJECT.test(change.subject))
    errors.push({ code: 'INVALID_SUBJECT', message: 'subject must be 1 to 200 visible characters.', field: ['input', 'subject'] });
  if (change.roles.length === 0) {
    errors.push({ code: 'ROLES_REQUIRED', message: 'A buyer holds at least one role (ADMIN, APPROVER or BUYER).', field: ['input', 'roles'] });
  }
  for (const [field, value] of [
    ['orderLimit', change.orderLimit],
    ['monthlyLimit', change.monthlyLimit],
  ] as const) {
    const error = limitError(value, field);
    if (error) errors.push(error);
  }
  if (change.allowedShipToIds && change.allowedShipToIds.length > 100) {
    errors.push({ code: 'TOO_MANY_SHIP_TOS', message: 'At most 100 allowed ship-tos per buyer.', field: ['input', 'allowedShipToIds'] });
  }
  return errors;
}

/** Roles deduplicated, in the canonical order. */
export function normalRoles(roles: readonly CompanyRole[]): CompanyRole[] {
  return COMPANY_ROLES.filter((r) => roles.includes(r));
}

/** A limit as stored: trimmed, canonical (`1000.50` stays, `0010` becomes `10`). */
export function normalLimit(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : new Big(value.trim()).toString();
}

/** The entry after `change` (fields not named keep their value). */
export function applyBuyerChange(current: CompanyBuyer, change: BuyerChange, by: string, nowIso: string): CompanyBuyer {
  return {
    ...current,
    roles: normalRoles(change.roles),
    orderLimit: change.orderLimit === undefined ? current.orderLimit : normalLimit(change.orderLimit),
    monthlyLimit: change.monthlyLimit === undefined ? current.monthlyLimit : normalLimit(change.monthlyLimit),
    allowedShipToIds: change.allowedShipToIds === undefined ? current.allowedShipToIds : change.allowedShipToIds,
    updatedAt: nowIso,
    updatedBy: by,
  };
}

/** A subject seen for the first time: the company's default role, no limits. */
export function newBuyer(customerId: string, subject: string, role: CompanyRole, nowIso: string): CompanyBuyer {
  return {
    customerId,
    subject,
    roles: [role],
    orderLimit: null,
    monthlyLimit: null,
    allowedShipToIds: null,
    createdAt: nowIso,
    updatedAt: nowIso,
    updatedBy: null,
  };
}

/** The first instant (epoch ms) of the UTC calendar month holding `now`. */
export function monthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
