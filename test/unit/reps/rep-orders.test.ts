/**
 * Sales reps' orders, pure: which orders are marked as placed on a customer's behalf, and the
 * approval rule a company uses to approve its reps' orders (`SALES_REP_ORDER`).
 */
import { describe, expect, it } from 'vitest';
import { requiredApproval, validateRule, type ApprovalRule } from '../../../src/domain/company/approval-rules.ts';
import { newBuyer } from '../../../src/domain/company/directory.ts';
import { onBehalfOf } from '../../../src/domain/orders/on-behalf.ts';
import type { Principal, Role } from '../../../src/domain/principal.ts';

const principal = (roles: Role[], fields: Partial<Omit<Principal, 'roles'>> = {}): Principal => ({
  subject: 'someone',
  roles: new Set(roles),
  customerId: null,
  repId: null,
  ...fields,
});

describe('on whose behalf an order is placed', () => {
  it.each([
    ['a rep, for an assigned customer', principal(['rep'], { repId: 'R01' }), { repId: 'R01' }],
    ['a buyer who is also a rep, for another company: as the rep', principal(['buyer', 'rep'], { customerId: 'C0002', repId: 'R01' }), { repId: 'R01' }],
    ['a buyer who is also a rep, for their own company: as a buyer', principal(['buyer', 'rep'], { customerId: 'C0001', repId: 'R01' }), null],
    ['a buyer', principal(['buyer'], { customerId: 'C0001' }), null],
    ['a PunchOut session', principal(['punchout'], { customerId: 'C0001', punchOutSessionId: 'S1' }), null],
  ] as const)('%s', (_, who, expected) => {
    expect(onBehalfOf(who, 'C0001')).toEqual(expected);
  });
});

describe('the SALES_REP_ORDER approval rule', () => {
  const rule: ApprovalRule = {
    id: 'reps',
    name: 'Our reps need our OK',
    condition: { kind: 'SALES_REP_ORDER' },
    requesterRoles: [],
    tiers: [{ approverRoles: ['ADMIN'] }],
  };
  const rep = { ...newBuyer('C0001', 'maria@reps', 'BUYER', '2026-11-01T00:00:00Z'), roles: [] };
  const buyer = newBuyer('C0001', 'bo', 'BUYER', '2026-11-01T00:00:00Z');
  const order = { total: '10.00', lines: [{ sku: 'SKU-1', quantity: 1, category: null }] };

  it("matches every order a rep places for the company, and no buyer's own", () => {
    expect(requiredApproval({ ...order, placedByRep: true }, rep, '0', [rule])).toEqual({
      ruleIds: ['reps'],
      reasons: ['rule "Our reps need our OK": every order a sales rep places for the company needs approval'],
      tiers: [{ approverRoles: ['ADMIN'] }],
    });
    expect(requiredApproval(order, buyer, '0', [rule])).toBeNull();
  });

  it('is a valid rule without further fields', () => {
    expect(validateRule(rule)).toEqual([]);
  });
});
