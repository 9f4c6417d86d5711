/**
 * The Workers invalidation bus inside workerd: two "isolates" (two bus instances over one log
 * object). A message one publishes is seen by the other within its poll period; an isolate whose
 * cursor fell off the log is told it may have missed messages.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { createWorkersInvalidationBus } from '../../src/adapters/stores/workers-cache/invalidation-bus.ts';
import { createMemoryCacheStore } from '../../src/adapters/stores/memory/cache-store.ts';
import type { InvalidationMessage } from '../../src/ports/cache-invalidation.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { CacheInvalidation } from '../../src/services/cache-invalidation.ts';

const namespace = env.CACHE_EVENTS as DurableObjectNamespace;
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listening(name: string, options: { pollMs: number; maxEntries?: number }) {
  const bus = createWorkersInvalidationBus(namespace, { name, keepMs: DAY, ...options });
  const seen: InvalidationMessage[] = [];
  let missed = 0;
  await bus.subscribe(
    (m) => seen.push(m),
    () => missed++,
  );
  return { bus, seen, missed: () => missed };
}

it("a message published by one isolate reaches the other's next request after the poll period, not before", async () => {
  const name = crypto.randomUUID();
  const a = await listening(name, { pollMs: 300 });
  const b = await listening(name, { pollMs: 300 });
  await a.bus.catchUp(); // the object is up (its first start is not what is measured)
  await b.bus.catchUp(); // b has read the log once: its next read is due 300 ms later
  const readAt = Date.now();
  const message: InvalidationMessage = { domain: 'prices', keys: ['list:USD:SKU-00001'], origin: 'a' };
  await a.bus.publish(message);
  await b.bus.catchUp();
  if (Date.now() - readAt < 300) expect(b.seen).toEqual([]);
  await sleep(310);
  await b.bus.catchUp();
  expect(b.seen).toEqual([message]);
  // Read once only, and every isolate gets its own too (the port's "this instance's own included").
  await sleep(310);
  await b.bus.catchUp();
  await a.bus.catchUp();
  expect(b.seen).toEqual([message]);
  expect(a.seen).toEqual([message]);
  expect(a.missed() + b.missed()).toBe(0);
});

it('a new isolate reads every message kept, page by page; concurrent requests share one read', async () => {
  const name = crypto.randomUUID();
  const a = await listening(name, { pollMs: 10 });
  await Promise.all(Array.from({ length: 520 }, (_, i) => a.bus.publish({ domain: 'stock', keys: [`SKU-${i}`], origin: 'a' })));
  const late = await listening(name, { pollMs: 10_000 });
  await Promise.all([late.bus.catchUp(), late.bus.catchUp(), late.bus.catchUp()]);
  const seen = late.seen.map((m) => m.keys[0]);
  expect(seen).toHaveLength(520);
  expect(new Set(seen)).toEqual(new Set(Array.from({ length: 520 }, (_, i) => `SKU-${i}`)));
  expect(late.missed()).toBe(0);
});

it('an isolate whose cursor fell off the log is told (onMissed) and masks every shared entry fetched before the drop', async () => {
  const name = crypto.randomUUID();
  const a = await listening(name, { pollMs: 10, maxEntries: 3 });
  const b = await listening(name, { pollMs: 10, maxEntries: 3 });
  await a.bus.publish({ domain: 'stock', keys: ['SKU-0'], origin: 'a' });
  await b.bus.catchUp();
  expect(b.seen).toHaveLength(1);
  const before = Date.now() - 5;
  for (let i = 1; i <= 5; i++) await a.bus.publish({ domain: 'stock', keys: [`SKU-${i}`], origin: 'a' });
  await sleep(15);
  await b.bus.catchUp();
  expect(b.missed()).toBe(1);
  expect(b.seen.map((m) => m.keys[0])).toEqual(['SKU-0', 'SKU-3', 'SKU-4', 'SKU-5']);
  // Keys it was never told of are masked too, up to the newest message dropped.
  expect(b.bus.tombstones.masks('items:SKU-99', before)).toBe(true);
  expect(b.bus.tombstones.masks('items:SKU-99', Date.now() + 1000)).toBe(false);
});

it('while the log fails or does not answer, a request neither fails nor waits past waitMs for it', async () => {
  // Stand-ins for the binding (workerd's, not erpfront's): an object that refuses, one that hangs.
  const namespaceAnswering = (since: () => Promise<never>) => ({ idFromName: () => ({}), get: () => ({ since }) }) as never;
  const failing = createWorkersInvalidationBus(
    namespaceAnswering(() => Promise.reject(new Error('overloaded'))),
    { keepMs: DAY, pollMs: 10 },
  );
  await expect(failing.catchUp()).resolves.toBeUndefined();
  const hanging = createWorkersInvalidationBus(
    namespaceAnswering(() => new Promise<never>(() => {})),
    { keepMs: DAY, pollMs: 10, waitMs: 50 },
  );
  const started = Date.now();
  await hanging.catchUp();
  await hanging.catchUp(); // joins the read under way, and waits no longer
  expect(Date.now() - started).toBeLessThan(500);
});

it("through the cache service: a change one isolate takes drops the entry from another isolate's in-process tier", async () => {
  const name = crypto.randomUUID();
  const isolate = (id: string) => {
    const local = createMemoryCacheStore();
    const bus = createWorkersInvalidationBus(namespace, { name, keepMs: DAY, pollMs: 50 });
    return { local, bus, invalidation: new CacheInvalidation({ local, bus, instanceId: id, logger: silentLogger }) };
  };
  const a = isolate('a');
  const b = isolate('b');
  await b.invalidation.start();
  const entry = { value: { amount: '9.10' }, fetchedAt: Date.now(), asOf: new Date().toISOString() };
  await b.local.setMany(
    [
      ['prices:priceList:PL-OEM:SKU-1', entry],
      ['prices:priceList:PL-RETAIL:SKU-1', entry],
    ],
    60_000,
  );
  await a.invalidation.invalidateMatching('prices', [{ prefix: 'priceList:PL-OEM:' }]);
  await sleep(60);
  await b.bus.catchUp();
  await sleep(0);
  expect(b.local.getSync('prices:priceList:PL-OEM:SKU-1')).toBeUndefined();
  expect(b.local.getSync('prices:priceList:PL-RETAIL:SKU-1')).toEqual(entry);
  await b.invalidation.stop();
});
