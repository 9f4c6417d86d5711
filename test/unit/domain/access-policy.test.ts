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
    ops: /*        */ ['NO_CUSTOMER_ACCESS', /**/ 'NO_CUSTOMER_ACCESS', /**/ 'allow'],
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
    ops: /*        */ ['OTHER_CUSTOMER', /*   */ 'OTHER_CUSTOMER', /*   */ 'allow'],
    punchout: /*   */ ['PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION', /* */ 'PUNCHOUT_SESSION'],
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
  'company.register': /* */ ['allow', /*         */ 'allow', /*          */ 'allow'],
  'companyApplication.review': ['OPS_ONLY', /*   */ 'OPS_ONLY', /*       */ 'OPS_ONLY'],
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
    ['an ops token carrying a customer claim names it', { principal: principal(['ops'], { customerId: 'C1' }), customerId: null }, 'C1', 'NO_CUSTOMER_ACCESS'],
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
    expect(message(ACTORS.ops, 'customer.actFor', RESOURCES.own)).toBe('This token may not act for customer C1.');
    expect(message(ACTORS.punchout, 'order.cancel', RESOURCES.none)).toBe(
      'A PunchOut session cannot call cancelOrder: return the cart with returnPunchOutCart; the order arrives from the procurement system.',
    );
    expect(message(ACTORS.buyer, 'orderQueue.read', RESOURCES.none)).toBe('This needs the ops role.');
    expect(message(ACTORS.buyer, 'ops.metrics', RESOURCES.none)).toBe('Metrics are for operations: they need the ops role.');
    expect(message(ACTORS.buyer, 'punchout.cart', RESOURCES.none)).toBe('This needs a PunchOut session token (from POST /punchout/session).');
    expect(message(ACTORS.buyer, 'company.register', RESOURCES.none)).toBe(
      'Registering a company needs the token of a signed-in user who belongs to no company yet (a subject, and no customerId or role claims).',
    );
    expect(message(APPLICANT, 'companyApplication.review', RESOURCES.none)).toBe('Reviewing company registrations needs the ops role.');
    expect(message(ACTORS.punchout, 'graphql.freeQuery', RESOURCES.none)).toBe(
      'This API runs only the documents registered by the storefront build for this token: send a documentId (or extensions.persistedQuery.sha256Hash) instead of a query text.',
    );
  });
});
