/**
 * Claims to principal: who a verified token is. The applicant (a signed-in user of no company) is
 * the one principal a token may make without naming roles; everything else must say what it is.
 */
import { describe, expect, it } from 'vitest';
import { principalFromClaims, type Principal } from '../../../src/domain/principal.ts';

const roles = (result: Principal | { problem: string }) => ('problem' in result ? result.problem : [...result.roles].sort());

describe('principalFromClaims', () => {
  it.each([
    ['a subject and nothing else', { sub: 'new-user' }, ['applicant']],
    ['no roles (an empty list)', { sub: 'new-user', roles: [] }, ['applicant']],
    ['the applicant role', { sub: 'new-user', roles: ['applicant'] }, ['applicant']],
    ['a buyer', { sub: 'b', roles: ['buyer'], customerId: 'C1' }, ['buyer']],
    ['a rep', { sub: 'r', roles: ['rep'] }, ['rep']],
    ['ops', { sub: 'o', roles: ['ops'] }, ['ops']],
  ])('%s', (_, claims, expected) => {
    expect(roles(principalFromClaims(claims))).toEqual(expected);
  });

  it('an applicant acts for no customer and is no rep', () => {
    expect(principalFromClaims({ sub: 'new-user' })).toEqual({ subject: 'new-user', roles: new Set(['applicant']), customerId: null, repId: null });
  });

  it.each([
    ['a customer without roles', { sub: 'x', customerId: 'C1' }, 'token claim roles must name at least one role'],
    ['a rep id without roles', { sub: 'x', repId: 'R1' }, 'token claim roles must name at least one role'],
    ['an applicant with a customer', { sub: 'x', roles: ['applicant'], customerId: 'C1' }, 'an applicant token must carry no customerId and no other role'],
    ['an applicant who is also ops', { sub: 'x', roles: ['applicant', 'ops'] }, 'an applicant token must carry no customerId and no other role'],
    ['a buyer without a customer', { sub: 'x', roles: ['buyer'] }, 'a buyer token must carry a customerId claim'],
    ['an empty subject', { sub: '', roles: ['ops'] }, 'token claim sub must name the subject'],
  ])('refuses %s', (_, claims, problem) => {
    expect(principalFromClaims(claims)).toEqual({ problem });
  });
});
