/**
 * The CustomerActivityStore conformance suite: memory, SQLite and Redis remember who was acted
 * for, and when last, alike. `create` returns a fresh, empty store; `reopen` (where the store is
 * durable) the same store as a restarted process would open it.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerActivityStore } from '../../src/ports/customer-activity.ts';

const T0 = Date.parse('2026-11-29T10:00:00.000Z');
const DAY = 86_400_000;

export function runCustomerActivityContract(
  name: string,
  create: () => Promise<{ store: CustomerActivityStore; reopen?: () => Promise<CustomerActivityStore> }>,
  /** Durable adapters (SQLite, Redis) also run the restart scenario; memory forgets by design. */
  options: { durable: boolean },
): void {
  describe(`CustomerActivityStore contract: ${name}`, () => {
    it('knows nobody at first; lists the customers seen since an instant, by id', async () => {
      const { store } = await create();
      expect(await store.seenSince(0)).toEqual([]);
      await store.touch(['C0003', 'C0001'], T0);
      await store.touch(['C0002'], T0 + DAY);
      expect(await store.seenSince(T0)).toEqual(['C0001', 'C0002', 'C0003']);
      expect(await store.seenSince(T0 + 1)).toEqual(['C0002']);
      expect(await store.seenSince(T0 + DAY)).toEqual(['C0002']);
      expect(await store.seenSince(T0 + DAY + 1)).toEqual([]);
      await store.close();
    });

    it("a customer's last-seen instant only moves forward", async () => {
      const { store } = await create();
      await store.touch(['C0001'], T0 + DAY);
      await store.touch(['C0001'], T0); // a late flush from another instance
      expect(await store.seenSince(T0 + DAY)).toEqual(['C0001']);
      await store.touch(['C0001'], T0 + 2 * DAY);
      expect(await store.seenSince(T0 + 2 * DAY)).toEqual(['C0001']);
      await store.touch([], T0 + 3 * DAY);
      await store.close();
    });

    it('forgets customers last seen before an instant, and says how many', async () => {
      const { store } = await create();
      await store.touch(['C0001', 'C0002'], T0);
      await store.touch(['C0003'], T0 + DAY);
      expect(await store.forgetBefore(T0 + DAY)).toBe(2);
      expect(await store.seenSince(0)).toEqual(['C0003']);
      expect(await store.forgetBefore(T0 + DAY)).toBe(0);
      await store.close();
    });

    if (options.durable)
      it('a durable store remembers after a restart', async () => {
        const { store, reopen } = await create();
        if (!reopen) throw new Error(`${name}: a durable adapter's fixture must give reopen`);
        await store.touch(['C0007'], T0);
        await store.close();
        const again = await reopen();
        expect(await again.seenSince(T0)).toEqual(['C0007']);
        await again.close();
      });
  });
}
