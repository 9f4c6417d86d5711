/**
 * The CursorStore conformance suite: memory, SQLite and Redis keep a feed's position and its
 * polling lease alike. `create` returns a fresh, empty store; `reopen` (where the store is
 * durable) the same store as a restarted process would open it.
 */
import { describe, expect, it } from 'vitest';
import type { CursorStore } from '../../src/ports/cursor-store.ts';

export function runCursorStoreContract(name: string, create: () => Promise<{ store: CursorStore; reopen?: () => Promise<CursorStore> }>): void {
  describe(`CursorStore contract: ${name}`, () => {
    it('has no cursor before one is set; keeps the last one set, per feed', async () => {
      const { store } = await create();
      expect(await store.get('erp-changes')).toBeNull();
      await store.set('erp-changes', '2026-11-29T10:00:00.000Z');
      await store.set('erp-changes', '2026-11-29T10:00:05.123Z');
      await store.set('other', 'x');
      expect(await store.get('erp-changes')).toBe('2026-11-29T10:00:05.123Z');
      expect(await store.get('other')).toBe('x');
      await store.close();
    });

    it('one holder at a time: the holder renews, another waits until it expires', async () => {
      const { store } = await create();
      expect(await store.lease('erp-changes', 'a', 200)).toBe(true);
      expect(await store.lease('erp-changes', 'b', 200)).toBe(false);
      expect(await store.lease('erp-changes', 'a', 200)).toBe(true);
      expect(await store.lease('other', 'b', 200)).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(await store.lease('erp-changes', 'b', 200)).toBe(true);
      expect(await store.lease('erp-changes', 'a', 200)).toBe(false);
      await store.close();
    });

    it('a holder gives its lease up at once; a release by anyone else changes nothing', async () => {
      const { store } = await create();
      expect(await store.lease('reconciliation', 'a', 60_000)).toBe(true);
      await store.release('reconciliation', 'b');
      expect(await store.lease('reconciliation', 'b', 60_000)).toBe(false);
      await store.release('reconciliation', 'a');
      expect(await store.lease('reconciliation', 'b', 60_000)).toBe(true);
      expect(await store.lease('reconciliation', 'a', 60_000)).toBe(false);
      await store.close();
    });

    it('a cursor survives a restart where the store is durable', async () => {
      const { store, reopen } = await create();
      if (!reopen) return;
      await store.set('erp-changes', 'kept');
      await store.close();
      const again = await reopen();
      expect(await again.get('erp-changes')).toBe('kept');
      await again.close();
    });
  });
}
