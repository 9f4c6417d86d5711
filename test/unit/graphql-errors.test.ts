import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ErpError } from '../../src/ports/erp-error.ts';
import { detailOf, toGraphQLError } from '../../src/transport/graphql/errors.ts';

describe('toGraphQLError', () => {
  it.each([
    ['ERP_AUTH_FAILED', 'login: Tryton refused the login of webstore (401)'],
    ['ERP_BAD_RESPONSE', 'getPrices: no Tryton database at http://erp.internal:8000/demo/ (404)'],
    ['ERP_NOT_FOUND', 'Customer C9 does not exist in Tryton (no party with this code) at http://erp.internal:8000/'],
    ['ERP_REJECTED', 'createOrder: Tryton user webstore at http://erp.internal:8000/demo/ refused'],
  ] as const)("gives a client the code of %s and erpfront's sentence, keeping the ERP's text for the log", (code, raw) => {
    const original = new ErpError(code, raw, { operation: 'x' });
    const client = toGraphQLError(original) as GraphQLError;
    expect(client).toBeInstanceOf(GraphQLError);
    expect(client.extensions.code).toBe(code);
    expect(client.message).not.toMatch(/webstore|erp\.internal|Tryton/);
    expect(JSON.stringify(client.toJSON())).not.toMatch(/webstore|erp\.internal|Tryton/);
    expect(detailOf(client)).toBe(original);
  });

  it("passes a refusal's reason code on, but only when it looks like one", () => {
    const coded = toGraphQLError(new ErpError('ERP_REJECTED', 'x', { reason: 'CREDIT_HOLD' })) as GraphQLError;
    expect(coded.extensions).toMatchObject({ code: 'ERP_REJECTED', reason: 'CREDIT_HOLD' });
    expect(coded.message).toContain('credit hold');
    const odd = toGraphQLError(new ErpError('ERP_REJECTED', 'x', { reason: 'see http://erp.internal/x' })) as GraphQLError;
    expect(odd.extensions.reason).toBe('REJECTED');
  });
});
