/** The recent errors ring: bounded, newest first, an outage's repeats counted on one line. */
import { expect, it } from 'vitest';
import { RecentErrors } from '../../../src/services/recent-errors.ts';

const event = (code: string, where: string, requestId: string) => ({ at: '2026-11-29T10:00:00.000Z', code, message: 'm', requestId, where });

it('counts repeats of the last error at the same place on one line, with the latest request id', () => {
  const ring = new RecentErrors();
  ring.record(event('ERP_UNAVAILABLE', 'products.price', 'r1'));
  ring.record(event('ERP_UNAVAILABLE', 'products.price', 'r2'));
  ring.record(event('ORDER_STORE_UNAVAILABLE', 'placeOrder', 'r3'));
  ring.record(event('ERP_UNAVAILABLE', 'products.price', 'r4'));
  expect(ring.list().map((e) => [e.code, e.count, e.requestId])).toEqual([
    ['ERP_UNAVAILABLE', 1, 'r4'],
    ['ORDER_STORE_UNAVAILABLE', 1, 'r3'],
    ['ERP_UNAVAILABLE', 2, 'r2'],
  ]);
});

it('keeps the newest `max`, bounds text and removes control characters', () => {
  const ring = new RecentErrors({ max: 2 });
  for (const id of ['a', 'b', 'c']) ring.record(event(`CODE_${id}`, 'x', id));
  expect(ring.list().map((e) => e.requestId)).toEqual(['c', 'b']);
  ring.record({ ...event('LONG', 'x\ny', 'd'), message: 'z'.repeat(1000) });
  expect(ring.list()[0]!.message.length).toBe(300);
  expect(ring.list()[0]!.where).toBe('x y');
});

it('an HTTP answer of a request already recorded (by the GraphQL policy) is not recorded twice', () => {
  const ring = new RecentErrors();
  ring.record(event('ORDER_STORE_UNAVAILABLE', 'placeOrder', 'r1'));
  ring.recordAnswer(event('HTTP_503', 'POST /graphql', 'r1'));
  ring.recordAnswer(event('HTTP_500', 'GET /ops', 'r2'));
  expect(ring.list().map((e) => e.code)).toEqual(['HTTP_500', 'ORDER_STORE_UNAVAILABLE']);
});
