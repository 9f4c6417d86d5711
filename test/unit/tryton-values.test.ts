/**
 * The Tryton connector's pure parts: Decimal rounding without floats, and Tryton's error
 * envelopes mapped onto the port's codes.
 */
import { describe, expect, it } from 'vitest';
import { faultOf, mapFault } from '../../src/adapters/erp/tryton/faults.ts';
import { decimal, normalizeDecimal, parseAnswer } from '../../src/adapters/erp/tryton/values.ts';

describe('Tryton values', () => {
  it('rounds Decimal strings half up to 4 places, keeping two at least, without floats', () => {
    expect(normalizeDecimal('135.000000000000')).toBe('135.00');
    expect(normalizeDecimal('11.25000000000000')).toBe('11.25');
    expect(normalizeDecimal('3.375')).toBe('3.375');
    expect(normalizeDecimal('0.99995')).toBe('1.00');
    expect(normalizeDecimal('9999999999999999.99999')).toBe('10000000000000000.00');
    expect(normalizeDecimal('-2.50005')).toBe('-2.5001');
    expect(normalizeDecimal('-0.00001')).toBe('0.00');
    expect(normalizeDecimal('583.205', 2)).toBe('583.21');
    expect(normalizeDecimal('7')).toBe('7.00');
  });

  it('refuses a price sent as a JSON number, naming the field', () => {
    expect(() => parseAnswer(decimal.array(), [{ __class__: 'Decimal', decimal: '1.5' }, 1.5], 'getPrices', 'prices')).toThrow(
      /getPrices: Tryton's prices: \[1\]: expected a Decimal/,
    );
  });
});

describe('Tryton faults', () => {
  const map = (error: unknown) => mapFault(faultOf(error)!, 'createOrder');

  it('maps the credit-limit and stock UserErrors to ERP_REJECTED with their reasons', () => {
    expect(map(['UserError', ['Party "Globex Corporation" has reached their credit limit of $5000.00.', '', null]])).toMatchObject({
      code: 'ERP_REJECTED',
      reason: 'CREDIT_LIMIT_EXCEEDED',
      operation: 'createOrder',
    });
    expect(map(['UserError', ['The forcast quantity (17.0u) for line "40u" is lower than its quantity (40.0u).', '', null]])).toMatchObject({
      code: 'ERP_REJECTED',
      reason: 'INSUFFICIENT_STOCK',
    });
  });

  it('maps UserWarning, access, missing records, concurrency and server exceptions', () => {
    expect(map(['UserWarning', ['sale_warning', 'Sale over budget', '']])).toMatchObject({ code: 'ERP_REJECTED', reason: 'NEEDS_CONFIRMATION' });
    expect(map(['UserError', ['You are not allowed to read records "1" of "Sale".', '', null]])).toMatchObject({ code: 'ERP_AUTH_FAILED' });
    expect(map(['UserError', ['You are trying to read records "999" of "Product Variant" that don\'t exist anymore.', '', null]])).toMatchObject({
      code: 'ERP_NOT_FOUND',
    });
    expect(map(['ConcurrencyException', 'Records were modified in the meanwhile'])).toMatchObject({ code: 'ERP_UNAVAILABLE', transient: true });
    const server = map(["'customer_taxes_used'", 'Traceback ...\nKeyError: customer_taxes_used']);
    expect(server).toMatchObject({ code: 'ERP_UNAVAILABLE' });
    expect(server.cause).toMatchObject({ type: 'Exception' });
    expect(faultOf('nonsense')).toBeNull();
  });
});
