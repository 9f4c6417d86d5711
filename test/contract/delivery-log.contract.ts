/**
 * The DeliveryLog conformance suite: the in-process log and the shared (Redis) one decide alike
 * whether a webhook delivery is new. `create` returns a fresh, empty log for each scenario.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryLog } from '../../src/ports/delivery-log.ts';

export function runDeliveryLogContract(name: string, create: () => Promise<DeliveryLog> | DeliveryLog): void {
  describe(`DeliveryLog contract: ${name}`, () => {
    it('claims an id once: the first claim acts, a repeat is a duplicate', async () => {
      const log = await create();
      expect(await log.claim('msg_1', 60_000)).toBe(true);
      expect(await log.claim('msg_1', 60_000)).toBe(false);
      expect(await log.claim('msg_2', 60_000)).toBe(true);
    });

    it('ids are exact (msg_1 is not msg_10)', async () => {
      const log = await create();
      expect(await log.claim('msg_1', 60_000)).toBe(true);
      expect(await log.claim('msg_10', 60_000)).toBe(true);
      expect(await log.claim('MSG_1', 60_000)).toBe(true);
    });

    it('of many claims of one id at once, exactly one wins', async () => {
      const log = await create();
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => log.claim('msg_race', 60_000)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    });

    it('a released claim can be claimed again (acting on it failed; the retry must act)', async () => {
      const log = await create();
      expect(await log.claim('msg_failed', 60_000)).toBe(true);
      await log.release('msg_failed');
      expect(await log.claim('msg_failed', 60_000)).toBe(true);
      expect(await log.claim('msg_failed', 60_000)).toBe(false);
      await log.release('never-claimed');
    });

    it('keeps an id no longer than retainMs', async () => {
      const log = await create();
      expect(await log.claim('msg_short', 60)).toBe(true);
      expect(await log.claim('msg_long', 60_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 150));
      expect(await log.claim('msg_short', 60_000)).toBe(true);
      expect(await log.claim('msg_long', 60_000)).toBe(false);
    });
  });
}
