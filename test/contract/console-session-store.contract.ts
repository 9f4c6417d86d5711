/**
 * The ConsoleSessionStore conformance suite: the in-process store and the shared (Redis) one keep
 * ops console sessions alike. `create` returns a fresh, empty store for each scenario.
 */
import { describe, expect, it } from 'vitest';
import type { ConsoleSession, ConsoleSessionStore } from '../../src/ports/console-session-store.ts';

const session = (now: number, ttlMs = 60_000): ConsoleSession => ({ subject: 'ops@example.com', csrf: 'c'.repeat(43), createdAt: now, expiresAt: now + ttlMs });

export function runConsoleSessionStoreContract(name: string, create: () => Promise<ConsoleSessionStore>): void {
  describe(`ConsoleSessionStore contract: ${name}`, () => {
    it('keeps a session under its key until it expires', async () => {
      const store = await create();
      const now = Date.now();
      await store.put('k1', session(now));
      expect(await store.get('k1', now)).toEqual(session(now));
      expect(await store.get('k2', now)).toBeNull();
      expect(await store.get('k1', now + 60_000)).toBeNull();
      await store.close();
    });

    it('logout ends it; ending an unknown one is nothing', async () => {
      const store = await create();
      const now = Date.now();
      await store.put('k1', session(now));
      await store.put('k2', session(now));
      await store.delete('k1');
      await store.delete('nope');
      expect(await store.get('k1', now)).toBeNull();
      expect(await store.get('k2', now)).not.toBeNull();
      await store.close();
    });

    it('is forgotten by the store itself once expired (not only hidden)', async () => {
      const store = await create();
      await store.put('short', session(Date.now(), 150));
      await new Promise((r) => setTimeout(r, 400));
      // Read with an old "now": only the store's own expiry can hide it.
      expect(await store.get('short', 0)).toBeNull();
      await store.close();
    });
  });
}
