/** The in-process delivery log against the DeliveryLog conformance suite, plus its size bound. */
import { expect, it } from 'vitest';
import { createMemoryDeliveryLog } from '../../src/adapters/stores/memory/delivery-log.ts';
import { runDeliveryLogContract } from './delivery-log.contract.ts';

runDeliveryLogContract('memory', () => createMemoryDeliveryLog());

it('memory log: bounded by count, the oldest ids go first', async () => {
  const log = createMemoryDeliveryLog({ maxEntries: 3 });
  for (const id of ['a', 'b', 'c', 'd']) expect(await log.claim(id, 60_000)).toBe(true);
  expect(await log.claim('d', 60_000)).toBe(false);
  expect(await log.claim('a', 60_000)).toBe(true);
});
