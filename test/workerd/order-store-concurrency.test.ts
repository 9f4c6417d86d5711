/**
 * The order store's atomic steps on its Durable Object, under concurrency: many isolates (each its
 * own client, each call its own RPC) racing on one idempotency key, on one customer's credit
 * decision, and on one queue. Each step is one call the object runs whole, so exactly one wins.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectId, DurableObjectNamespace } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { createDurableObjectOrderStore } from '../../src/adapters/stores/durable-object/order-store.ts';
import type { NewOrder } from '../../src/ports/order-store.ts';
import { ExposureChangedError, StoreUnavailableError } from '../../src/ports/store-error.ts';

const namespace = env.ORDER_STORE as DurableObjectNamespace;
const T0 = Date.parse('2026-11-30T10:00:00Z');

/** `count` clients of one fresh store, as `count` isolates would hold. */
function isolates(count: number) {
  const name = crypto.randomUUID();
  return Array.from({ length: count }, () => createDurableObjectOrderStore(namespace, { name }));
}

function order(id: string, customerId: string): NewOrder {
  return {
    id,
    customerId,
    status: 'QUEUED',
    request: {
      externalRef: id,
      customerId,
      poNumber: 'PO',
      shipToId: `${customerId}-ST1`,
      requestedDate: null,
      currency: 'USD',
      payment: { method: 'ON_ACCOUNT' },
      notes: null,
      lines: [{ sku: 'SKU-00001', quantity: 1, unitPrice: '100.00', unitOfMeasure: 'EA' }],
    },
    total: '100.00',
    currency: 'USD',
    placedBy: 'buyer',
    creditDecision: { decision: 'APPROVE', reason: null },
    idempotencyKey: null,
  };
}

it('20 requests with one idempotency key at once: one claims it and writes the order; the others are told it is in use, then get that order', async () => {
  const stores = isolates(20);
  const claims = await Promise.all(
    stores.map((store, i) => store.claimIdempotencyKey('C1:k', 'h', { now: T0, ttlMs: 86_400_000, staleAfterMs: 10_000, claimId: `c${i}` })),
  );
  const winners = claims.flatMap((c, i) => (c.kind === 'claimed' ? [i] : []));
  expect(winners).toHaveLength(1);
  expect(claims.filter((c) => c.kind === 'in_use')).toHaveLength(19);
  const winner = winners[0]!;
  await stores[winner]!.insert(order('ord-k', 'C1'), { now: T0, idempotency: { key: 'C1:k', claimId: `c${winner}` } });
  const again = await Promise.all(
    stores.map((store, i) => store.claimIdempotencyKey('C1:k', 'h', { now: T0 + 1, ttlMs: 86_400_000, staleAfterMs: 10_000, claimId: `d${i}` })),
  );
  expect(again.every((c) => c.kind === 'completed' && c.orderId === 'ord-k')).toBe(true);
});

it('10 credit decisions taken on the same figures at once: one order is written, the others decide again', async () => {
  const stores = isolates(10);
  const seen = await stores[0]!.pendingExposure('C2', '2026-11-30T09:00:00.000Z');
  const outcomes = await Promise.allSettled(stores.map((store, i) => store.insert(order(`ord-${i}`, 'C2'), { now: T0, exposureVersion: seen.version })));
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(refused).toHaveLength(9);
  expect(refused.every((o) => o.reason instanceof ExposureChangedError)).toBe(true);
  expect((await stores[0]!.pendingExposure('C2', '2026-11-30T09:00:00.000Z')).total).toBe('100');
});

it('4 dispatchers leasing one queue at once: each order goes to one of them', async () => {
  const stores = isolates(4);
  for (let i = 0; i < 12; i++) await stores[0]!.insert(order(`q-${i}`, `C${i}`), { now: T0 });
  const leased = await Promise.all(stores.map((store, i) => store.lease(`d${i}`, { now: T0, limit: 12, leaseMs: 30_000 })));
  const ids = leased.flat().map((o) => o.id);
  expect(ids.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `q-${i}`).sort());
});

it("a claim whose reply was lost is given back at once: the buyer's retry with the same key claims it, instead of waiting out the claim", async () => {
  const name = crypto.randomUUID();
  // The platform loses the reply of the first claim, after the object has run it.
  let lose = true;
  const lossy = {
    idFromName: (n: string) => namespace.idFromName(n),
    get(id: DurableObjectId) {
      const stub = namespace.get(id) as unknown as { call(method: string, args: unknown[]): Promise<unknown> };
      return {
        async call(method: string, args: unknown[]) {
          const reply = await stub.call(method, args);
          if (lose && method === 'claimIdempotencyKey') {
            lose = false;
            throw new Error('Network connection lost.');
          }
          return reply;
        },
      };
    },
  } as unknown as DurableObjectNamespace;
  const options = { now: T0, ttlMs: 86_400_000, staleAfterMs: 10_000 };
  await expect(createDurableObjectOrderStore(lossy, { name }).claimIdempotencyKey('C1:lost', 'h', { ...options, claimId: 'first' })).rejects.toThrow(
    StoreUnavailableError,
  );
  const retry = await createDurableObjectOrderStore(namespace, { name }).claimIdempotencyKey('C1:lost', 'h', { ...options, now: T0 + 1, claimId: 'retry' });
  expect(retry).toEqual({ kind: 'claimed' });
});
