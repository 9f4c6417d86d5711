/**
 * The access policy as a table: every action, for each kind of caller, on their own customer's
 * data, another customer's, and in general (no customer yet). Written out cell by cell: a change
 * of any cell fails here, and says which.
 *
 * Cells: `allow`; `lookup` (undecided until the rep's assigned customers are read from the ERP);
 * otherwise the reason of the refusal.
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, can, homeCustomer, type Action, type Actor, type Decision, type Resource } from '../../../src/domain/access/policy.ts';
import type { Principal, Role } from '../../../src/domain/principal.ts';

function principal(roles: Role[], fields: Partial<Omit<Principal, 'roles'>> = {}): Principal {
  return { subject: 'someone', roles: new Set(roles), customerId: null, repId: null, ...fields };
}

/** The callers, each as the GraphQL route has settled it: the customer it acts for (own: C1). */
const ACTORS = {
  /** A buyer of C1, acting for C1. */
  buyer: { principal: principal(['buyer'], { customerId: 'C1' }), customerId: 'C1' },
  /** Sales rep R1, assigned C1 and C3, acting for C1. */
  rep: { principal: principal(['rep'], { repId: 'R1' }), customerId: 'C1', repCustomers: ['C1', 'C3'] },
  /** Sales rep R1 before the ERP was asked for their customers, acting for none. */
  repUnread: { principal: principal(['rep'], { repId: 'R1' }), customerId: null },
  /** Operations, acting for no customer. */
  ops: { principal: principal(['ops']), customerId: null },
  /** PunchOut session S1 of a buyer of C1, acting for C1. */
  punchout: { principal: principal(['punchout'], { customerId: 'C1', punchOutSessionId: 'S1' }), customerId: 'C1' },
} satisfies Record<string, Actor>;

type ActorName = keyof typeof ACTORS;

/** Own: C1 (and PunchOut session S1); other: C2 (session S2); none: the action in general. */
const RESOURCES: Record<'own' | 'other' | 'none', Resource> = {
  own: { customerId: 'C1', punchOutSessionId: 'S1' },
  other: { customerId: 'C2', punchOutSessionId: 'S2' },
  none: { customerId: null, punchOutSessionId: null },
};

type Row = [own: string, other: string, none: string];

//                    own (C1)                other (C2)              none
const EXPECTED: Record<Action, Record<ActorName, Row>> = {
  'customer.actFor': {
    buyer: /*      */ ['allow', /*            */ 'NOT_OWN_CUSTOMER', /* */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'NOT_ASSIGNED', /*     */ 'allow'],
    repUnread: /*  */ ['lookup', /*           */ 'lookup', /*           */ 'allow'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['allow', /*            */ 'NOT_OWN_CUSTOMER', /* */ 'allow'],
  },
  'order.read': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
  },
  'order.place': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['NOT_A_BUYER', /*      */ 'NOT_A_BUYER', /*      */ 'NOT_A_BUYER'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
  },
  'checkout.preview': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['NOT_A_BUYER', /*      */ 'NOT_A_BUYER', /*      */ 'NOT_A_BUYER'],
    punchout: /*   */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
  },
  'order.cancel': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
  },
  'order.replay': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
  },
  'order.release': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
  },
  'orderQueue.read': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'order.erpText.read': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'punchout.cart': {
    buyer: /*      */ ['NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION'],
    rep: /*        */ ['NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION'],
    repUnread: /*  */ ['NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION'],
    ops: /*        */ ['NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION'],
    punchout: /*   */ ['allow', /*            */ 'OTHER_SESSION', /*    */ 'allow'],
  },
  'ops.metrics': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'ops.readiness': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'ops.invalidate': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'ops.console': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'reconciliation.read': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'reconciliation.run': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'graphql.freeQuery': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  // These callers hold no role in a company's directory (see the company table below for those who do).
  'company.read': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
  },
  'company.manageBuyers': {
    buyer: /*      */ ['NOT_COMPANY_ADMIN', /**/ 'OTHER_CUSTOMER', /*   */ 'NOT_COMPANY_ADMIN'],
    rep: /*        */ ['NOT_COMPANY_ADMIN', /**/ 'OTHER_CUSTOMER', /*   */ 'NOT_COMPANY_ADMIN'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'NOT_COMPANY_ADMIN'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['NOT_COMPANY_ADMIN', /**/ 'OTHER_CUSTOMER', /*   */ 'NOT_COMPANY_ADMIN'],
  },
  'company.manageRules': {
    buyer: /*      */ ['NOT_COMPANY_ADMIN', /**/ 'OTHER_CUSTOMER', /*   */ 'NOT_COMPANY_ADMIN'],
    rep: /*        */ ['NOT_COMPANY_ADMIN', /**/ 'OTHER_CUSTOMER', /*   */ 'NOT_COMPANY_ADMIN'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'NOT_COMPANY_ADMIN'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['NOT_COMPANY_ADMIN', /**/ 'OTHER_CUSTOMER', /*   */ 'NOT_COMPANY_ADMIN'],
  },
  'order.approve': {
    buyer: /*      */ ['NOT_APPROVER', /*     */ 'OTHER_CUSTOMER', /*   */ 'NOT_APPROVER'],
    rep: /*        */ ['NOT_APPROVER', /*     */ 'OTHER_CUSTOMER', /*   */ 'NOT_APPROVER'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'NOT_APPROVER'],
    ops: /*        */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'NOT_APPROVER'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
  },
  'company.register': {
    buyer: /*      */ ['NOT_APPLICANT', /*    */ 'NOT_APPLICANT', /*    */ 'NOT_APPLICANT'],
    rep: /*        */ ['NOT_APPLICANT', /*    */ 'NOT_APPLICANT', /*    */ 'NOT_APPLICANT'],
    repUnread: /*  */ ['NOT_APPLICANT', /*    */ 'NOT_APPLICANT', /*    */ 'NOT_APPLICANT'],
    ops: /*        */ ['NOT_APPLICANT', /*    */ 'NOT_APPLICANT', /*    */ 'NOT_APPLICANT'],
    punchout: /*   */ ['NOT_APPLICANT', /*    */ 'NOT_APPLICANT', /*    */ 'NOT_APPLICANT'],
  },
  'companyApplication.review': {
    buyer: /*      */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    rep: /*        */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    repUnread: /*  */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['OPS_ONLY', /*         */ 'OPS_ONLY', /*         */ 'OPS_ONLY'],
  },
  'quote.request': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['NOT_A_BUYER', /*      */ 'NOT_A_BUYER', /*      */ 'NOT_A_BUYER'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
  },
  'quote.read': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
  },
  'quote.respond': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['NOT_A_BUYER', /*      */ 'NOT_A_BUYER', /*      */ 'NOT_A_BUYER'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
  },
  'return.request': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['NOT_A_BUYER', /*      */ 'NOT_A_BUYER', /*      */ 'NOT_A_BUYER'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
  },
  'return.read': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
  },
  'rep.home': {
    buyer: /*      */ ['NOT_A_REP', /*        */ 'NOT_A_REP', /*        */ 'NOT_A_REP'],
    rep: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    repUnread: /*  */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    ops: /*        */ ['NOT_A_REP', /*        */ 'NOT_A_REP', /*        */ 'NOT_A_REP'],
    punchout: /*   */ ['NOT_A_REP', /*        */ 'NOT_A_REP', /*        */ 'NOT_A_REP'],
  },
  'invoice.read': {
    buyer: /*      */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    rep: /*        */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    repUnread: /*  */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    ops: /*        */ ['allow', /*            */ 'allow', /*            */ 'allow'],
    punchout: /*   */ ['allow', /*            */ 'OTHER_CUSTOMER', /*   */ 'allow'],
  },
};

/**
 * The applicant (a signed-in user of no company yet, acting for none) on every action: own, other
 * and none as for the others. A table of its own so the callers' table above keeps its shape.
 */
const APPLICANT: Actor = { principal: principal(['applicant'], { subject: 'new-user' }), customerId: null };

//                          own (C1)                other (C2)              none
const APPLICANT_EXPECTED: Record<Action, Row> = {
  'customer.actFor': /*  */ ['NO_CUSTOMER_ACCESS', 'NO_CUSTOMER_ACCESS', 'allow'],
  'order.read': /*       */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'order.place': /*      */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'checkout.preview': /* */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'order.cancel': /*     */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'order.replay': /*     */ ['OPS_ONLY', /*      */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'order.release': /*    */ ['OPS_ONLY', /*      */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'orderQueue.read': /*  */ ['OPS_ONLY', /*      */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'order.erpText.read': ['OPS_ONLY', /*          */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'punchout.cart': /*    */ ['NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION', 'NOT_PUNCHOUT_SESSION'],
  'ops.metrics': /*      */ ['OPS_ONLY', /*      */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'ops.readiness': /*    */ ['OPS_ONLY', /*      */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'ops.invalidate': /*   */ ['OPS_ONLY', /*      */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'ops.console': /*      */ ['OPS_ONLY', /*      */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'graphql.freeQuery': /**/ ['OPS_ONLY', /*      */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'reconciliation.read': ['OPS_ONLY', /*         */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'reconciliation.run': /**/ ['OPS_ONLY', /*     */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'company.read': /*     */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'company.manageBuyers': ['OTHER_CUSTOMER', /*  */ 'OTHER_CUSTOMER', /* */ 'NOT_COMPANY_ADMIN'],
  'company.manageRules': ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /* */ 'NOT_COMPANY_ADMIN'],
  'order.approve': /*    */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'NOT_APPROVER'],
  'company.register': /* */ ['allow', /*         */ 'allow', /*          */ 'allow'],
  'companyApplication.review': ['OPS_ONLY', /*   */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
  'quote.request': /*    */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'quote.read': /*       */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'quote.respond': /*    */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'return.request': /*   */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'return.read': /*      */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
  'rep.home': /*         */ ['NOT_A_REP', /*     */ 'NOT_A_REP', /*      */ 'NOT_A_REP'],
  'invoice.read': /*     */ ['OTHER_CUSTOMER', /**/ 'OTHER_CUSTOMER', /* */ 'allow'],
};

/**
 * Company accounts: callers by their roles in C1's buyer directory (from erpfront's directory,
 * not the token), and operations naming C1 in X-Customer-Id. Resources: C1's (placed by someone
 * else), C1's placed by the caller themselves, C2's, and none.
 */
const COMPANY_ACTORS = {
  admin: { principal: principal(['buyer'], { subject: 'ann', customerId: 'C1' }), customerId: 'C1', companyRoles: ['ADMIN'] },
  approver: { principal: principal(['buyer'], { subject: 'abe', customerId: 'C1' }), customerId: 'C1', companyRoles: ['APPROVER'] },
  adminApprover: { principal: principal(['buyer'], { subject: 'amy', customerId: 'C1' }), customerId: 'C1', companyRoles: ['ADMIN', 'APPROVER', 'BUYER'] },
  plainBuyer: { principal: principal(['buyer'], { subject: 'bea', customerId: 'C1' }), customerId: 'C1', companyRoles: ['BUYER'] },
  opsForC1: { principal: principal(['ops']), customerId: 'C1' },
} satisfies Record<string, Actor>;

type CompanyRow = [own: string, ownSelf: string, other: string, none: string];
const COMPANY_ACTIONS = ['company.read', 'company.manageBuyers', 'company.manageRules', 'order.approve', 'order.place'] as const;

//                                 own (C1)          own, placed by self   other (C2)          none
const COMPANY_EXPECTED: Record<(typeof COMPANY_ACTIONS)[number], Record<keyof typeof COMPANY_ACTORS, CompanyRow>> = {
  'company.read': {
    admin: /*         */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    approver: /*      */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    adminApprover: /* */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    plainBuyer: /*    */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    opsForC1: /*      */ ['allow', /*          */ 'allow', /*        */ 'allow', /*     */ 'allow'],
  },
  'company.manageBuyers': {
    admin: /*         */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    approver: /*      */ ['NOT_COMPANY_ADMIN', 'NOT_COMPANY_ADMIN', 'OTHER_CUSTOMER', 'NOT_COMPANY_ADMIN'],
    adminApprover: /* */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    plainBuyer: /*    */ ['NOT_COMPANY_ADMIN', 'NOT_COMPANY_ADMIN', 'OTHER_CUSTOMER', 'NOT_COMPANY_ADMIN'],
    opsForC1: /*      */ ['allow', /*          */ 'allow', /*        */ 'allow', /*     */ 'allow'],
  },
  'company.manageRules': {
    admin: /*         */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    approver: /*      */ ['NOT_COMPANY_ADMIN', 'NOT_COMPANY_ADMIN', 'OTHER_CUSTOMER', 'NOT_COMPANY_ADMIN'],
    adminApprover: /* */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    plainBuyer: /*    */ ['NOT_COMPANY_ADMIN', 'NOT_COMPANY_ADMIN', 'OTHER_CUSTOMER', 'NOT_COMPANY_ADMIN'],
    opsForC1: /*      */ ['allow', /*          */ 'allow', /*        */ 'allow', /*     */ 'allow'],
  },
  'order.approve': {
    admin: /*         */ ['allow', /*          */ 'SELF_APPROVAL', /**/ 'OTHER_CUSTOMER', 'allow'],
    approver: /*      */ ['allow', /*          */ 'SELF_APPROVAL', /**/ 'OTHER_CUSTOMER', 'allow'],
    adminApprover: /* */ ['allow', /*          */ 'SELF_APPROVAL', /**/ 'OTHER_CUSTOMER', 'allow'],
    plainBuyer: /*    */ ['NOT_APPROVER', /*   */ 'SELF_APPROVAL', /**/ 'OTHER_CUSTOMER', 'NOT_APPROVER'],
    opsForC1: /*      */ ['NOT_APPROVER', /*   */ 'SELF_APPROVAL', /**/ 'OTHER_CUSTOMER', 'NOT_APPROVER'],
  },
  'order.place': {
    admin: /*         */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    approver: /*      */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    adminApprover: /* */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    plainBuyer: /*    */ ['allow', /*          */ 'allow', /*        */ 'OTHER_CUSTOMER', 'allow'],
    opsForC1: /*      */ ['NOT_A_BUYER', /*    */ 'NOT_A_BUYER', /*  */ 'NOT_A_BUYER', 'NOT_A_BUYER'],
  },
};

const cell = (decision: Decision): string => (decision.verdict === 'allow' ? 'allow' : decision.verdict === 'deny' ? decision.reason : 'lookup');

describe('the access policy, cell by cell', () => {
  it('has a row for every action', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(ACTIONS)('%s', (action) => {
    const actual = Object.fromEntries(
      Object.entries(ACTORS).map(([name, actor]) => [
        name,
        [cell(can(actor, action, RESOURCES.own)), cell(can(actor, action, RESOURCES.other)), cell(can(actor, action, RESOURCES.none))],
      ]),
    );
    expect(actual).toEqual(EXPECTED[action]);
  });
});

describe('the applicant, cell by cell', () => {
  it('has a row for every action', () => {
    expect(Object.keys(APPLICANT_EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(ACTIONS)('%s', (action) => {
    const actual = [cell(can(APPLICANT, action, RESOURCES.own)), cell(can(APPLICANT, action, RESOURCES.other)), cell(can(APPLICANT, action, RESOURCES.none))];
    expect(actual).toEqual(APPLICANT_EXPECTED[action]);
  });
});

describe('company accounts, cell by cell', () => {
  const resources = (self: string): Record<'own' | 'ownSelf' | 'other' | 'none', Resource> => ({
    own: { customerId: 'C1', requester: 'someone-else' },
    ownSelf: { customerId: 'C1', requester: self },
    other: { customerId: 'C2', requester: 'someone-else' },
    none: { customerId: null },
  });

  it.each(COMPANY_ACTIONS)('%s', (action) => {
    const actual = Object.fromEntries(
      Object.entries(COMPANY_ACTORS).map(([name, actor]) => {
        const r = resources(actor.principal.subject);
        return [name, [r.own, r.ownSelf, r.other, r.none].map((resource) => cell(can(actor, action, resource)))];
      }),
    );
    expect(actual).toEqual(COMPANY_EXPECTED[action]);
  });
});

describe('principals with more than one role', () => {
  const buyerRep = principal(['buyer', 'rep'], { customerId: 'C1', repId: 'R1' });
  const opsBuyer = principal(['ops', 'buyer'], { customerId: 'C1' });

  it.each([
    ['a buyer who is also a rep: own company, without asking the ERP', { principal: buyerRep, customerId: null }, 'C1', 'allow'],
    ['a buyer who is also a rep: another customer once the ERP is asked', { principal: buyerRep, customerId: null }, 'C3', 'lookup'],
    ['a buyer who is also a rep: an assigned customer', { principal: buyerRep, customerId: null, repCustomers: ['C3'] }, 'C3', 'allow'],
    ['a buyer who is also a rep: a customer not assigned', { principal: buyerRep, customerId: null, repCustomers: ['C3'] }, 'C2', 'NOT_ASSIGNED'],
    ['a rep the ERP does not know', { principal: principal(['rep'], { repId: 'R9' }), customerId: null, repCustomers: 'unknown-rep' }, 'C1', 'UNKNOWN_REP'],
    ['ops who is also a buyer: own company', { principal: opsBuyer, customerId: null }, 'C1', 'allow'],
    ['ops who is also a buyer: another customer', { principal: opsBuyer, customerId: null }, 'C2', 'NOT_OWN_CUSTOMER'],
    ['an ops token carrying a customer claim names it', { principal: principal(['ops'], { customerId: 'C1' }), customerId: null }, 'C1', 'allow'],
    ['operations name any customer (to manage its company account)', { principal: principal(['ops']), customerId: null }, 'C2', 'allow'],
    ['a token with no role that acts for customers names one', { principal: principal([]), customerId: null }, 'C1', 'NO_CUSTOMER_ACCESS'],
  ] satisfies Array<[string, Actor, string, string]>)('acting for a customer: %s', (_, actor, customerId, expected) => {
    expect(cell(can(actor, 'customer.actFor', { customerId }))).toBe(expected);
  });

  it("ops who is also a buyer sees any customer's order, as operations", () => {
    expect(cell(can({ principal: opsBuyer, customerId: 'C1' }, 'order.read', { customerId: 'C2' }))).toBe('allow');
  });
});

describe('the customer a request acts for when it names none', () => {
  it.each([
    ['buyer', principal(['buyer'], { customerId: 'C1' }), 'C1'],
    ['rep', principal(['rep'], { repId: 'R1' }), null],
    ['rep whose token carries a customer claim', principal(['rep'], { repId: 'R1', customerId: 'C9' }), null],
    ['ops', principal(['ops']), null],
    ['ops whose token carries a customer claim', principal(['ops'], { customerId: 'C1' }), 'C1'],
    ['PunchOut session', principal(['punchout'], { customerId: 'C1', punchOutSessionId: 'S1' }), 'C1'],
    ['applicant', principal(['applicant']), null],
  ] as const)('%s', (_, who, expected) => {
    expect(homeCustomer(who)).toBe(expected);
  });
});

describe('refusals', () => {
  it('say what was refused, in the sentences clients are told', () => {
    const message = (actor: Actor, action: Action, resource: Resource) => {
      const decision = can(actor, action, resource);
      return decision.verdict === 'deny' ? decision.message : decision.verdict;
    };
    expect(message(ACTORS.buyer, 'customer.actFor', RESOURCES.other)).toBe('A buyer of C1 may not act for customer C2.');
    expect(message(ACTORS.rep, 'customer.actFor', RESOURCES.other)).toBe('Customer C2 is not assigned to sales rep R1.');
    expect(message({ principal: principal([]), customerId: null }, 'customer.actFor', RESOURCES.own)).toBe('This token may not act for customer C1.');
    expect(message(COMPANY_ACTORS.plainBuyer, 'company.manageBuyers', RESOURCES.own)).toBe("Changing the company's buyers needs the company's ADMIN role.");
    expect(message(COMPANY_ACTORS.approver, 'order.approve', { customerId: 'C1', requester: 'abe' })).toBe(
      'You placed this order: another approver of the company must decide on it.',
    );
    expect(message(ACTORS.punchout, 'order.cancel', RESOURCES.none)).toBe(
      'A PunchOut session cannot call cancelOrder: return the cart with returnPunchOutCart; the order arrives from the procurement system.',
    );
    expect(message(ACTORS.buyer, 'orderQueue.read', RESOURCES.none)).toBe('This needs the ops role.');
    expect(message(ACTORS.ops, 'rep.home', RESOURCES.none)).toBe(
      "The rep home lists a sales rep's assigned customers: it needs a sales rep's token (role rep).",
    );
    expect(message(ACTORS.buyer, 'company.register', RESOURCES.none)).toBe(
      'Registering a company needs the token of a signed-in user who belongs to no company yet (a subject, and no customerId or role claims).',
    );
    expect(message(APPLICANT, 'companyApplication.review', RESOURCES.none)).toBe('Reviewing company registrations needs the ops role.');
    expect(message(ACTORS.buyer, 'ops.metrics', RESOURCES.none)).toBe('Metrics are for operations: they need the ops role.');
    expect(message(ACTORS.buyer, 'punchout.cart', RESOURCES.none)).toBe('This needs a PunchOut session token (from POST /punchout/session).');
    expect(message(ACTORS.punchout, 'graphql.freeQuery', RESOURCES.none)).toBe(
      'This API runs only the documents registered by the storefront build for this token: send a documentId (or extensions.persistedQuery.sha256Hash) instead of a query text.',
    );
  });
});
