/**
 * The one table of `ErpError` codes: every code is classified, the table reads as below (a change
 * to any cell fails here, on purpose: it changes what the cache, the breaker, the metrics, the
 * order dispatcher or a client sees), and the parts that decide on a code read it.
 */
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ERP_ERROR_CLASSES, ERP_ERROR_CODES } from '../../../src/ports/erp/error-classes.ts';
import { ErpError } from '../../../src/ports/erp-error.ts';
import { CircuitBreaker } from '../../../src/services/circuit-breaker.ts';
import { toGraphQLError } from '../../../src/transport/graphql/errors.ts';

/** code: transient, breaker, outcome label, order, pauses orders, client code, client status. */
const EXPECTED = `
ERP_UNAVAILABLE    transient  failure  unavailable   in_doubt  -      ERP_UNAVAILABLE    503
ERP_TIMEOUT        transient  failure  timeout       in_doubt  -      ERP_UNAVAILABLE    503
ERP_RATE_LIMITED   transient  failure  rate_limited  unsent    -      ERP_UNAVAILABLE    503
ERP_BAD_RESPONSE   final      success  bad_response  in_doubt  -      ERP_BAD_RESPONSE   502
ERP_AUTH_FAILED    final      success  error         in_doubt  -      ERP_AUTH_FAILED    502
ERP_NOT_FOUND      final      success  error         in_doubt  -      ERP_NOT_FOUND      404
ERP_REJECTED       final      success  rejected      rejected  -      ERP_REJECTED       422
ERP_CIRCUIT_OPEN   transient  none     circuit_open  unsent    pause  ERP_UNAVAILABLE    503
ERP_DUPLICATE_REF  final      success  rejected      in_doubt  -      ERP_DUPLICATE_REF  409
ERP_NOT_SENT       transient  none     error         unsent    -      ERP_UNAVAILABLE    503
ERP_NOT_SUPPORTED  final      none     error         unsent    -      ERP_NOT_SUPPORTED  501
`.trim();

/** The table as text, one row per code in the codes' order: printed by the failing assertion. */
function render(): string {
  const rows = ERP_ERROR_CODES.map((code) => {
    const c = ERP_ERROR_CLASSES[code];
    return [code, c.transient ? 'transient' : 'final', c.breaker, c.outcome, c.order, c.pausesOrders ? 'pause' : '-', c.client.code, String(c.client.status)];
  });
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

describe('the ErpError classification table', () => {
  it('classifies every code, and nothing else', () => {
    expect(Object.keys(ERP_ERROR_CLASSES).sort()).toEqual([...ERP_ERROR_CODES].sort());
    for (const code of ERP_ERROR_CODES) {
      const c = ERP_ERROR_CLASSES[code];
      expect(c.meaning, code).toMatch(/\.$/);
      expect(c.client.message, code).toMatch(/\.$/);
      // A client is told a transient failure as ERP_UNAVAILABLE, anything else under its own code.
      expect(c.client.code, code).toBe(c.transient ? 'ERP_UNAVAILABLE' : code);
    }
  });

  it('reads as written here', () => {
    expect(render()).toBe(EXPECTED);
  });

  it.each(ERP_ERROR_CODES)('%s: the error, the breaker and the GraphQL layer decide after the table', (code) => {
    const c = ERP_ERROR_CLASSES[code];
    const error = new ErpError(code, `the ERP said ${code}`, { retryAfterMs: 1500 });
    expect(error.transient).toBe(c.transient);

    // Five failures in a row open the breaker only if the table counts them; a success in
    // between (the ERP answered) resets the run, no verdict leaves it.
    const breaker = new CircuitBreaker({ clock: { now: () => 0 } });
    for (let i = 0; i < 4; i++) breaker.tryPass()!.failure(new ErpError('ERP_TIMEOUT', 'slow'));
    breaker.tryPass()!.failure(error);
    expect(breaker.snapshot().consecutiveFailures).toBe({ failure: 5, success: 0, none: 4 }[c.breaker]);

    const client = toGraphQLError(error) as GraphQLError;
    expect(client.extensions.code).toBe(c.client.code);
    if (c.transient) expect(client.extensions).toMatchObject({ reason: code, retryAfterSeconds: 2 });
    expect(client.message).not.toContain('the ERP said');
  });
});
