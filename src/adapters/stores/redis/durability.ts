/**
 * Before orders are kept in Redis: does this Redis keep what it acknowledged? An order erpfront
 * answered QUEUED must survive a Redis restart, a `kill -9` and (with `appendfsync always`) a
 * power cut, and must never be evicted to make room for cache entries.
 *
 * @module
 */
import type { Redis } from 'ioredis';

/** Redis would lose orders, and nobody said that is acceptable. */
export class RedisDurabilityError extends Error {
  override readonly name = 'RedisDurabilityError';
  readonly code = 'REDIS_NOT_DURABLE';
  readonly problems: string[];

  constructor(problems: string[], options?: { cause?: unknown }) {
    super(
      `Refusing to keep orders in this Redis: ${problems.join('; ')}. ` +
        'Set in redis.conf (or CONFIG SET, then CONFIG REWRITE): appendonly yes, appendfsync always, maxmemory-policy noeviction. ' +
        'To run anyway, accepting that queued orders can be lost, set REDIS_ALLOW_VOLATILE_ORDERS=true.',
      options,
    );
    this.problems = problems;
  }
}

/** What is wrong with the Redis persistence settings for orders; empty when nothing is. */
export async function orderDurabilityProblems(client: Redis): Promise<string[]> {
  let settings: Record<string, string>;
  try {
    const flat = (await client.config('GET', '*')) as string[];
    settings = {};
    for (let i = 0; i < flat.length; i += 2) settings[flat[i]!] = flat[i + 1]!;
  } catch (error) {
    // Managed Redis often disables CONFIG: erpfront cannot see the settings, so it cannot vouch.
    return [
      `its persistence settings cannot be read (CONFIG GET failed: ${error instanceof Error ? error.message : String(error)}); check them with your provider`,
    ];
  }
  const problems: string[] = [];
  if (settings.appendonly !== 'yes') problems.push(`appendonly is "${settings.appendonly}" (a restart loses every queued order)`);
  else if (settings.appendfsync !== 'always')
    problems.push(`appendfsync is "${settings.appendfsync}" (a power cut loses the last second of acknowledged orders)`);
  // allkeys-* may evict an order to make room. volatile-* evicts keys with a TTL, and idempotency
  // keys have one: an evicted key lets a retried order through a second time.
  const policy = settings['maxmemory-policy'];
  if (policy?.startsWith('allkeys')) problems.push(`maxmemory-policy is "${policy}" (orders could be evicted)`);
  else if (policy?.startsWith('volatile'))
    problems.push(`maxmemory-policy is "${policy}" (idempotency keys could be evicted, and a retried order placed twice)`);
  return problems;
}

/**
 * Throws {@link RedisDurabilityError} unless Redis keeps orders durably or `allowVolatile` says to
 * go on anyway; returns the problems that were overridden (to log them).
 */
export async function checkOrderDurability(client: Redis, options: { allowVolatile: boolean }): Promise<string[]> {
  const problems = await orderDurabilityProblems(client);
  if (problems.length > 0 && !options.allowVolatile) throw new RedisDurabilityError(problems);
  return problems;
}
