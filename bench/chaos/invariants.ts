/**
 * What must hold after a fault campaign, checked against the ERP's own list of orders: every
 * acknowledged order exactly once in the ERP, no external reference twice, no ERP order the
 * clients never sent, no idempotency key answered with two order ids, nothing stuck in the queue,
 * and a definite answer for every order. Pure: it reads the evidence, it does no I/O.
 *
 * @module
 */
import type { OrderRecord } from './clients.ts';
import type { ErpOrder } from './erp-book.ts';

export interface Evidence {
  records: OrderRecord[];
  /** The ERP's orders created during the campaign (those it held before are left out). */
  erpOrders: ErpOrder[];
  /** Orders erpfront still holds as QUEUED once the system healed and the bound passed. */
  stuck: Array<{ id: string; status: string; customerId: string }>;
  /** Orders erpfront holds as REJECTED, ON_HOLD or CANCELLED: they must not be in the ERP. */
  notForErp: Map<string, string>;
}

export interface InvariantResult {
  name: string;
  /** What broke it, one line per case (order id, key, ERP numbers). */
  violations: string[];
}

/** Statuses of an order that never reaches the ERP. */
const NOT_FOR_ERP = new Set(['REJECTED', 'ON_HOLD', 'CANCELLED']);

const lineSet = (lines: Array<{ sku: string; quantity: number }>) =>
  lines
    .map((l) => `${l.sku}×${Number(l.quantity)}`)
    .sort()
    .join(' ');

export function checkInvariants(evidence: Evidence): InvariantResult[] {
  const byRef = new Map<string, ErpOrder[]>();
  for (const order of evidence.erpOrders) {
    if (order.externalRef === null) continue;
    byRef.set(order.externalRef, [...(byRef.get(order.externalRef) ?? []), order]);
  }
  const idsByKey = new Map<string, Set<string>>();
  for (const record of evidence.records) {
    const ids = new Set(record.answers.map((a) => a.orderId).filter((id): id is string => id !== null));
    idsByKey.set(record.spec.key, ids);
  }
  const recordOf = new Map<string, OrderRecord>();
  for (const record of evidence.records) for (const id of idsByKey.get(record.spec.key)!) recordOf.set(id, record);
  // Every entry counts, a cancelled one too: a duplicate erpfront repaired was still entered twice.
  const numbers = (orders: ErpOrder[] | undefined) => (orders ?? []).map((o) => `${o.number} ${o.status}`).join(', ');

  const exactlyOnce: string[] = [];
  for (const [id, record] of recordOf) {
    const held = byRef.get(id) ?? [];
    const status = evidence.notForErp.get(id) ?? (NOT_FOR_ERP.has(record.outcome ?? '') ? record.outcome! : null);
    const expected = status ? 0 : 1;
    if (held.length === expected) continue;
    const what = held.length === 0 ? 'LOST: not in the ERP' : `${held.length} ERP orders (${numbers(held)})`;
    exactlyOnce.push(`${id} (key ${record.spec.key}, ${record.spec.customerId}${status ? `, erpfront says ${status}` : ''}): ${what}`);
  }

  const twice = [...byRef].filter(([, orders]) => orders.length > 1).map(([ref, orders]) => `${ref}: ${orders.length} ERP orders ${numbers(orders)}`);

  const unknown: string[] = [];
  for (const order of evidence.erpOrders) {
    const record = order.externalRef ? recordOf.get(order.externalRef) : undefined;
    if (record) {
      if (record.spec.customerId !== order.customerId || lineSet(record.spec.lines) !== lineSet(order.lines)) {
        unknown.push(
          `${order.number} (${order.externalRef}) does not match key ${record.spec.key}: ERP ${order.customerId} [${lineSet(order.lines)}], sent ${record.spec.customerId} [${lineSet(record.spec.lines)}]`,
        );
      }
      continue;
    }
    // Not named by any answer: acceptable only for an order whose client never got a definite
    // answer (it gave up), with the same customer and lines.
    const sender = evidence.records.find(
      (r) => r.orderId === null && r.outcome === null && r.spec.customerId === order.customerId && lineSet(r.spec.lines) === lineSet(order.lines),
    );
    if (!sender) unknown.push(`${order.number} (ref ${order.externalRef ?? 'none'}, ${order.customerId} [${lineSet(order.lines)}]): no client sent it`);
  }

  const twoIds = [...idsByKey].filter(([, ids]) => ids.size > 1).map(([key, ids]) => `key ${key}: ${[...ids].join(', ')}`);
  const stuck = evidence.stuck.map((o) => `${o.id} (${o.customerId}) still ${o.status}`);
  const unanswered = evidence.records
    .filter((r) => r.outcome === null)
    .map((r) => `key ${r.spec.key} (${r.spec.customerId}): no definite answer after ${r.answers.length} attempts; last ${r.answers.at(-1)?.code ?? 'none'}`);

  return [
    { name: 'every acknowledged order is in the ERP exactly once', violations: exactlyOnce },
    { name: 'no external reference twice in the ERP', violations: twice },
    { name: 'no ERP order the clients never sent', violations: unknown },
    { name: 'no key answered with two order ids', violations: twoIds },
    { name: 'nothing stuck in the queue after healing', violations: stuck },
    { name: 'every order got a definite answer', violations: unanswered },
  ];
}
