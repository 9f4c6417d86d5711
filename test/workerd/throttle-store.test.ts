/**
 * The throttle store contract on the Durable Object backend, inside workerd: every caller's bucket
 * an object of its own, reached over RPC (a fresh key prefix per scenario); and what only objects
 * can lose: a bucket kept across the object's eviction.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { expect, it } from 'vitest';
import { createJsonLinesLogger } from '../../src/adapters/logging/json-lines-logger.ts';
import { createDurableObjectThrottleStore } from '../../src/adapters/stores/durable-object/throttle-store.ts';
import { runThrottleStoreContract } from '../contract/throttle-store.contract.ts';

const namespace = env.THROTTLE as DurableObjectNamespace;

runThrottleStoreContract('Durable Object', () => ({ store: createDurableObjectThrottleStore(namespace, { prefix: `${crypto.randomUUID()}:` }) }));

it('a drained bucket stays drained when its object is evicted (a deployment does not refill a flooder)', async () => {
  const prefix = `${crypto.randomUUID()}:`;
  const store = createDurableObjectThrottleStore(namespace, { prefix });
  const limits = { capacity: 100, restorePerSecond: 1, now: 1_800_000_000_000 };
  expect((await store.take('flooder', 100, limits)).allowed).toBe(true);
  await evictDurableObject(namespace.get(namespace.idFromName(`${prefix}flooder`)));
  expect(await store.take('flooder', 1, limits)).toMatchObject({ allowed: false, available: 0, retryAfterMs: 1000 });
});

it('while the objects cannot be reached, each isolate decides alone (fail-open, still per caller), and says so once', async () => {
  const lines: string[] = [];
  const logger = createJsonLinesLogger({ sink: (_level, line) => lines.push(line) });
  // A namespace whose every object is unreachable, as during an outage of the objects' storage.
  const unreachable = {
    idFromName: (name: string) => namespace.idFromName(name),
    get: () => ({
      take: () => Promise.reject(new Error('Network connection lost.')),
      refund: () => Promise.reject(new Error('Network connection lost.')),
      peek: () => Promise.reject(new Error('Network connection lost.')),
    }),
  } as unknown as DurableObjectNamespace;
  const store = createDurableObjectThrottleStore(unreachable, { logger });
  const limits = { capacity: 10, restorePerSecond: 1, now: 1_800_000_000_000 };
  expect((await store.take('flooder', 10, limits)).allowed).toBe(true);
  expect(await store.take('flooder', 1, limits)).toMatchObject({ allowed: false, retryAfterMs: 1000 });
  expect((await store.take('neighbour', 1, limits)).allowed).toBe(true);
  expect(lines.filter((l) => l.includes('falls back'))).toHaveLength(1);
  expect(lines.join('\n')).toContain('Network connection lost');
});
