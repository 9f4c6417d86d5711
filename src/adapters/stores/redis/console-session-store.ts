/**
 * Console sessions in Redis, shared by every instance, so an operator's session works whichever
 * instance the load balancer picks: one key per session (`erpfront:console-session:<key>`, a
 * hash of the cookie's id), expiring with the session (`PXAT`). One key per command, no tag.
 *
 * When Redis is unreachable every call fails with `CONSOLE_SESSIONS_UNAVAILABLE`.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { ConsoleSession, ConsoleSessionStore } from '../../../ports/console-session-store.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';

export interface RedisConsoleSessionStoreOptions {
  client: Redis;
  /** The key of one session (`keys.consoleSession`). */
  key(sessionKey: string): string;
}

export function createRedisConsoleSessionStore(options: RedisConsoleSessionStoreOptions): ConsoleSessionStore {
  const { client, key } = options;

  async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof Error && /^(ERR|WRONGTYPE)/.test(error.message)) throw error;
      throw new StoreUnavailableError('CONSOLE_SESSIONS_UNAVAILABLE', `The console sessions (Redis) are unreachable (${operation}). Retry shortly.`, {
        cause: error,
      });
    }
  }

  return {
    put: (sessionKey, session) =>
      guarded('store a session', async () => {
        await client.set(key(sessionKey), JSON.stringify(session), 'PXAT', Math.max(1, Math.floor(session.expiresAt)));
      }),
    get: (sessionKey, now) =>
      guarded('read a session', async () => {
        const text = await client.get(key(sessionKey));
        if (!text) return null;
        const session = JSON.parse(text) as ConsoleSession;
        // Redis expires it by its own clock; erpfront's decides too.
        return session.expiresAt > now ? session : null;
      }),
    delete: (sessionKey) => guarded('end a session', async () => void (await client.del(key(sessionKey)))),
    async close() {},
  };
}
