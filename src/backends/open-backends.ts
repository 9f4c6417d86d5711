/**
 * The one place a Node process decides which backends run: REDIS_URL set, the scale-out set
 * (Redis); otherwise the embedded set (SQLite under DATA_DIR). The Workers entry opens its own.
 *
 * @module
 */
import type { Env } from '../config/env.ts';
import type { Backends } from '../ports/backends.ts';
import type { Logger } from '../ports/logger.ts';
import { openEmbeddedBackends } from './embedded.ts';

export async function openBackends(env: Env, options: { instanceId: string; logger: Logger }): Promise<Backends> {
  const url = env.REDIS_URL;
  if (!url) return openEmbeddedBackends(env);
  // Loaded only for scale-out: ioredis and the Redis stores are ~3 MB of heap an embedded process never uses.
  const { openScaleOutBackends } = await import('./scale-out.ts');
  return openScaleOutBackends({ ...env, REDIS_URL: url }, options);
}
