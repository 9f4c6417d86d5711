/**
 * The ERP budget on its global Durable Object, inside workerd: the ErpBudget contract through one
 * isolate's client, then what only a shared budget does: one limit and one priority order for
 * every isolate, and a 429 pause that outlives the object's eviction.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { expect, it } from 'vitest';
import { createDurableObjectErpBudget } from '../../src/adapters/stores/durable-object/erp-budget.ts';
import { runErpBudgetContract } from '../contract/erp-budget.contract.ts';

const namespace = env.ERP_BUDGET as DurableObjectNamespace;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

runErpBudgetContract('Durable Object', (limits) => ({ budget: createDurableObjectErpBudget(namespace, { name: crypto.randomUUID(), ...limits }) }));

it('three isolates on one budget never hold more than maxConcurrent permits between them', async () => {
  const name = crypto.randomUUID();
  const budgets = [0, 1, 2].map(() => createDurableObjectErpBudget(namespace, { name, requestsPerSecond: 5000, maxConcurrent: 4 }));
  let inFlight = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 150 }, async (_, i) => {
      const permit = await budgets[i % 3]!.acquire('read');
      peak = Math.max(peak, ++inFlight);
      await sleep(2);
      inFlight--;
      permit.release();
    }),
  );
  expect(peak).toBe(4);
});

it('an order waiting in one isolate goes before reads waiting in another', async () => {
  const name = crypto.randomUUID();
  const [a, b] = [0, 1].map(() => createDurableObjectErpBudget(namespace, { name, requestsPerSecond: 5000, maxConcurrent: 1 }));
  const holder = await a!.acquire('read');
  const granted: string[] = [];
  const reads = [0, 1].map((i) => a!.acquire('read').then((p) => (granted.push(`read${i}`), p)));
  await sleep(30);
  const order = b!.acquire('order').then((p) => (granted.push('order'), p));
  await sleep(30);
  holder.release();
  (await order).release();
  for (const read of reads) (await read).release();
  expect(granted).toEqual(['order', 'read0', 'read1']);
});

it("a 429 pause holds every isolate's grants, and outlives the object's eviction", async () => {
  const name = crypto.randomUUID();
  const limits = { name, requestsPerSecond: 1000, maxConcurrent: 10 };
  const first = createDurableObjectErpBudget(namespace, limits);
  (await first.acquire('read')).release();
  first.pauseFor(400);
  (await first.acquire('order')).release(); // waits out the pause, so the pause has reached the object
  first.pauseFor(400);
  await sleep(20);
  await evictDurableObject(namespace.get(namespace.idFromName(name)));
  const other = createDurableObjectErpBudget(namespace, limits);
  const started = performance.now();
  (await other.acquire('order')).release();
  expect(performance.now() - started).toBeGreaterThanOrEqual(300);
});

it('the permit of an isolate that died mid-call frees itself when its lease runs out', async () => {
  const name = crypto.randomUUID();
  const dead = createDurableObjectErpBudget(namespace, { name, requestsPerSecond: 1000, maxConcurrent: 1, leaseMs: 300 });
  await dead.acquire('read'); // never released
  const alive = createDurableObjectErpBudget(namespace, { name, requestsPerSecond: 1000, maxConcurrent: 1, leaseMs: 300 });
  const started = performance.now();
  (await alive.acquire('order')).release();
  const waited = performance.now() - started;
  expect(waited).toBeGreaterThan(150);
  expect(waited).toBeLessThan(3000);
});
