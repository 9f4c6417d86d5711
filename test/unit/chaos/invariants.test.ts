/**
 * The campaign's invariants name each breach: a double with both ERP numbers, a lost order, an
 * order nobody sent, a key with two order ids, a stuck order, an order never answered.
 */
import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../../bench/chaos/clients.ts';
import type { ErpOrder } from '../../../bench/chaos/erp-book.ts';
import { checkInvariants, type Evidence } from '../../../bench/chaos/invariants.ts';

const lines = [{ sku: 'SKU-00001', quantity: 2 }];
function record(key: string, ids: string[], outcome: string | null = ids.length ? 'QUEUED' : null): OrderRecord {
  return {
    spec: { key, customerId: 'C0001', poNumber: 'PO', lines },
    answers: [
      { at: 0, instance: 0, code: 'NETWORK', orderId: null, transient: true },
      ...ids.map((id, i) => ({ at: 10 * (i + 1), instance: 1, code: 'QUEUED', orderId: id, transient: false })),
    ],
    orderId: ids.at(-1) ?? null,
    outcome,
    elapsedMs: outcome ? 10 : null,
  };
}
const erp = (ref: string | null, number: string, customerId = 'C0001'): ErpOrder => ({ externalRef: ref, number, customerId, lines, status: 'OPEN' });
const evidence = (e: Partial<Evidence>): Evidence => ({ records: [], erpOrders: [], stuck: [], notForErp: new Map(), ...e });
const broken = (e: Evidence) =>
  Object.fromEntries(
    checkInvariants(e)
      .filter((i) => i.violations.length)
      .map((i) => [i.name, i.violations]),
  );

describe('campaign invariants', () => {
  it('pass when every acknowledged order is in the ERP once', () => {
    expect(broken(evidence({ records: [record('k1', ['ord_1']), record('k2', ['ord_2'])], erpOrders: [erp('ord_1', 'SO-1'), erp('ord_2', 'SO-2')] }))).toEqual(
      {},
    );
  });

  it('report a double with both numbers, and a lost order', () => {
    const found = broken(evidence({ records: [record('k1', ['ord_1']), record('k2', ['ord_2'])], erpOrders: [erp('ord_1', 'SO-1'), erp('ord_1', 'SO-3')] }));
    expect(found['every acknowledged order is in the ERP exactly once']).toEqual([
      'ord_1 (key k1, C0001): 2 ERP orders (SO-1 OPEN, SO-3 OPEN)',
      'ord_2 (key k2, C0001): LOST: not in the ERP',
    ]);
    expect(found['no external reference twice in the ERP']).toEqual(['ord_1: 2 ERP orders SO-1 OPEN, SO-3 OPEN']);
  });

  it('expect orders erpfront refused or holds to be absent from the ERP', () => {
    const e = evidence({ records: [record('k1', ['ord_1'])], notForErp: new Map([['ord_1', 'REJECTED']]) });
    expect(broken(e)).toEqual({});
    expect(broken({ ...e, erpOrders: [erp('ord_1', 'SO-1')] })['every acknowledged order is in the ERP exactly once']).toEqual([
      'ord_1 (key k1, C0001, erpfront says REJECTED): 1 ERP orders (SO-1 OPEN)',
    ]);
  });

  it('report an ERP order no client sent, or one whose content differs from its key', () => {
    const found = broken(evidence({ records: [record('k1', ['ord_1'])], erpOrders: [erp('ord_1', 'SO-1', 'C0002'), erp('ord_x', 'SO-2')] }));
    expect(found['no ERP order the clients never sent']).toEqual([
      'SO-1 (ord_1) does not match key k1: ERP C0002 [SKU-00001×2], sent C0001 [SKU-00001×2]',
      'SO-2 (ref ord_x, C0001 [SKU-00001×2]): no client sent it',
    ]);
  });

  it('accept an ERP order of a key that never got an answer, if customer and lines match', () => {
    const found = broken(evidence({ records: [record('k1', [])], erpOrders: [erp('ord_9', 'SO-1')] }));
    expect(Object.keys(found)).toEqual(['every order got a definite answer']);
  });

  it('report a key answered with two order ids, and stuck orders', () => {
    const found = broken(
      evidence({
        records: [record('k1', ['ord_1', 'ord_2'])],
        erpOrders: [erp('ord_1', 'SO-1'), erp('ord_2', 'SO-2')],
        stuck: [{ id: 'ord_3', status: 'QUEUED', customerId: 'C0001' }],
      }),
    );
    expect(found['no key answered with two order ids']).toEqual(['key k1: ord_1, ord_2']);
    expect(found['nothing stuck in the queue after healing']).toEqual(['ord_3 (C0001) still QUEUED']);
  });
});
