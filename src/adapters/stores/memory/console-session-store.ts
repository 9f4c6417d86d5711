/**
 * Console sessions in this process only (the embedded and memory backends): one process serves
 * the console, and a restart asks operators to log in again. Bounded: the oldest sessions go first.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { ConsoleSession, ConsoleSessionStore } from '../../../ports/console-session-store.ts';

export function createMemoryConsoleSessionStore(options: { maxSessions?: number } = {}): ConsoleSessionStore {
  const sessions = new LRUCache<string, ConsoleSession>({ max: options.maxSessions ?? 10_000 });
  return {
    async put(key, session) {
      // Forgotten by the cache itself at expiry, whatever `now` a caller passes later.
      sessions.set(key, { ...session }, { ttl: Math.max(1, session.expiresAt - Date.now()) });
    },
    async get(key, now) {
      const session = sessions.get(key);
      if (!session) return null;
      if (session.expiresAt <= now) {
        sessions.delete(key);
        return null;
      }
      return { ...session };
    },
    async delete(key) {
      sessions.delete(key);
    },
    async close() {},
  };
}
