/**
 * The company approval domain, pure: which orders need approval (the built-in spending limits and
 * a company's rules), the flow's state machine (tiers in order, a different person per tier, never
 * the requester, one rejection ends it, expiry), and the checks of what admins write.
 */
import { describe, expect, it } from 'vitest';
import { approve, currentTier, expireIfDue, mayApproveCurrentTier, openFlow, reject } from '../../../src/domain/company/approval-flow.ts';
import { LIMIT_RULE_ID, requiredApproval, validateRule, type ApprovalRule } from '../../../src/domain/company/approval-rules.ts';
import { monthStart, newBuyer, validateBuyerChange, type CompanyBuyer } from '../../../src/domain/company/directory.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const buyer = (overrides: Partial<CompanyBuyer> = {}): CompanyBuyer => ({ ...newBuyer('C1', 'bo', 'BUYER', '2026-11-01T00:00:00Z'), ...overrides });
const order = (
  total: string,
  lines: Array<{ sku: string; quantity: number; category: string | null }> = [{ sku: 'SKU-1', quantity: 2, category: 'tools' }],
) => ({
  total,
  lines,
});
const rule = (overrides: Partial<ApprovalRule>): ApprovalRule => ({
  id: 'r1',
  name: 'r1',
  condition: { kind: 'ORDER_TOTAL_OVER', amount: '5000' },
  requesterRoles: [],
  tiers: [{ approverRoles: ['APPROVER'] }],
  ...overrides,
});

describe('which orders need approval', () => {
  it('none for a buyer without limits or rules', () => {
    expect(requiredApproval(order('999999.99'), buyer(), '0', [])).toBeNull();
  });

  it('the order limit: over it needs one APPROVER; at it does not', () => {
    expect(requiredApproval(order('1000.00'), buyer({ orderLimit: '1000' }), '0', [])).toBeNull();
    expect(requiredApproval(order('1000.01'), buyer({ orderLimit: '1000' }), '0', [])).toMatchObject({
      ruleIds: [LIMIT_RULE_ID],
      tiers: [{ approverRoles: ['APPROVER'] }],
    });
  });

  it('the monthly limit: an order taking the month past it, counting what was ordered before (decimal, not float)', () => {
    const b = buyer({ monthlyLimit: '0.3' });
    expect(requiredApproval(order('0.1'), b, '0.2', [])).toBeNull();
    expect(requiredApproval(order('0.11'), b, '0.2', [])!.reasons[0]).toMatch(/spend this month to 0.31, over their monthly limit of 0.3/);
  });

  it("a company's rules: each condition, only for the requester roles named; the strictest tiers decide", () => {
    const tiers2 = [{ approverRoles: ['APPROVER' as const] }, { approverRoles: ['ADMIN' as const] }];
    const rules = [
      rule({ id: 'qty', condition: { kind: 'LINE_QUANTITY_OVER', quantity: 10 } }),
      rule({ id: 'cat', condition: { kind: 'PRODUCT_CATEGORY', category: 'chemicals' }, tiers: tiers2 }),
      rule({ id: 'role', condition: { kind: 'REQUESTER_ROLE', role: 'BUYER' }, requesterRoles: ['BUYER'] }),
      rule({ id: 'big', condition: { kind: 'ORDER_TOTAL_OVER', amount: '5000' }, requesterRoles: ['APPROVER'] }),
    ];
    const approver = buyer({ roles: ['APPROVER'] });
    expect(requiredApproval(order('6000', [{ sku: 'A', quantity: 1, category: 'tools' }]), approver, '0', rules)!.ruleIds).toEqual(['big']);
    expect(requiredApproval(order('10', [{ sku: 'A', quantity: 11, category: 'tools' }]), approver, '0', rules)!.ruleIds).toEqual(['qty']);
    const chem = requiredApproval(order('10', [{ sku: 'A', quantity: 1, category: 'chemicals' }]), buyer({ orderLimit: '1' }), '0', rules)!;
    expect(chem.ruleIds).toEqual([LIMIT_RULE_ID, 'cat', 'role']);
    expect(chem.tiers).toEqual(tiers2);
    expect(requiredApproval(order('10', [{ sku: 'A', quantity: 1, category: null }]), approver, '0', rules)).toBeNull();
  });
});

describe('an approval flow', () => {
  const twoTiers = () =>
    openFlow(
      {
        orderId: 'ord_1',
        customerId: 'C1',
        requester: 'bo',
        ruleIds: ['r1'],
        reasons: ['big'],
        tiers: [{ approverRoles: ['APPROVER'] }, { approverRoles: ['ADMIN'] }],
      },
      T0,
      HOUR,
    );

  it('the requester never approves or rejects their own order, whatever roles they hold', () => {
    const flow = twoTiers();
    const all = { subject: 'bo', roles: ['ADMIN', 'APPROVER', 'BUYER'] as const };
    expect(approve(flow, { ...all, roles: [...all.roles] }, T0)).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    expect(reject(flow, { ...all, roles: [...all.roles] }, 'no', T0)).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    expect(mayApproveCurrentTier(flow, { subject: 'bo', roles: ['APPROVER'] })).toBe(false);
  });

  it('tiers in order, each by someone holding its role, a different person each; approved once all are', () => {
    const flow = twoTiers();
    expect(approve(flow, { subject: 'ann', roles: ['ADMIN'] }, T0)).toMatchObject({ ok: false, code: 'NOT_APPROVER' });
    const first = approve(flow, { subject: 'abe', roles: ['APPROVER', 'ADMIN'] }, T0 + 1);
    if (!first.ok) throw new Error(first.message);
    expect(first.flow).toMatchObject({ status: 'PENDING', version: 1 });
    expect(currentTier(first.flow)).toBe(1);
    expect(approve(first.flow, { subject: 'abe', roles: ['APPROVER', 'ADMIN'] }, T0 + 2)).toMatchObject({ ok: false, code: 'ALREADY_APPROVED_BY_YOU' });
    const second = approve(first.flow, { subject: 'ann', roles: ['ADMIN'] }, T0 + 3);
    if (!second.ok) throw new Error(second.message);
    expect(second.flow.status).toBe('APPROVED');
    expect(second.flow.history.map((h) => [h.action, h.by, h.note])).toEqual([
      ['REQUESTED', 'bo', 'needs approval: big'],
      ['APPROVED', 'abe', 'tier 1 of 2'],
      ['APPROVED', 'ann', 'tier 2 of 2: approved'],
    ]);
    expect(approve(second.flow, { subject: 'zed', roles: ['ADMIN'] }, T0 + 4)).toMatchObject({ ok: false, code: 'INVALID_APPROVAL_STATE' });
  });

  it('one rejection ends it, with its reason (required)', () => {
    const flow = twoTiers();
    expect(reject(flow, { subject: 'abe', roles: ['APPROVER'] }, '  ', T0)).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    const rejected = reject(flow, { subject: 'abe', roles: ['APPROVER'] }, 'over budget', T0);
    if (!rejected.ok) throw new Error(rejected.message);
    expect(rejected.flow.status).toBe('REJECTED');
    expect(rejected.flow.history.at(-1)).toMatchObject({ by: 'abe', action: 'REJECTED', note: 'over budget' });
    expect(approve(rejected.flow, { subject: 'ann', roles: ['ADMIN'] }, T0)).toMatchObject({ ok: false, code: 'INVALID_APPROVAL_STATE' });
  });

  it('expires at its time: not approvable from then on, and says so', () => {
    const flow = twoTiers();
    expect(expireIfDue(flow, T0 + HOUR - 1)).toBe(flow);
    const late = approve(flow, { subject: 'abe', roles: ['APPROVER'] }, T0 + HOUR);
    expect(late).toMatchObject({ ok: false, code: 'APPROVAL_EXPIRED', flow: { status: 'EXPIRED', version: 1 } });
    expect(expireIfDue(flow, T0 + HOUR).history.at(-1)).toMatchObject({ by: 'erpfront', action: 'EXPIRED' });
  });
});

describe('what admins write', () => {
  it('buyer changes: at least one role, limits as non-negative decimals', () => {
    expect(validateBuyerChange({ subject: 'bo', roles: ['BUYER'], orderLimit: '1000.50', monthlyLimit: null })).toEqual([]);
    expect(validateBuyerChange({ subject: '', roles: [], orderLimit: '-1', monthlyLimit: '1e5' }).map((e) => e.code)).toEqual([
      'INVALID_SUBJECT',
      'ROLES_REQUIRED',
      'INVALID_LIMIT',
      'INVALID_LIMIT',
    ]);
  });

  it('rules: a name, one to three tiers each naming a role, a valid condition, not the built-in id', () => {
    expect(validateRule(rule({}))).toEqual([]);
    expect(validateRule(rule({ tiers: [] })).map((e) => e.code)).toEqual(['INVALID_TIERS']);
    expect(validateRule(rule({ tiers: Array.from({ length: 4 }, () => ({ approverRoles: ['ADMIN' as const] })) })).map((e) => e.code)).toEqual([
      'INVALID_TIERS',
    ]);
    expect(validateRule(rule({ tiers: [{ approverRoles: [] }] })).map((e) => e.code)).toEqual(['INVALID_TIERS']);
    expect(validateRule(rule({ tiers: [{ approverRoles: ['BUYER'] }] })).map((e) => e.code)).toEqual(['INVALID_TIERS']);
    expect(validateRule(rule({ id: LIMIT_RULE_ID, name: ' ' })).map((e) => e.code)).toEqual(['INVALID_RULE_NAME', 'INVALID_RULE_ID']);
    expect(validateRule(rule({ condition: { kind: 'ORDER_TOTAL_OVER', amount: 'lots' } })).map((e) => e.code)).toEqual(['INVALID_CONDITION']);
    expect(validateRule(rule({ condition: { kind: 'LINE_QUANTITY_OVER', quantity: Number.NaN } })).map((e) => e.code)).toEqual(['INVALID_CONDITION']);
  });

  it('the month a spend counts in is the UTC calendar month', () => {
    expect(new Date(monthStart(Date.parse('2026-12-01T00:30:00+02:00'))).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(new Date(monthStart(Date.parse('2026-12-31T23:59:59Z'))).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});
