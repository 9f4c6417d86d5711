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
import { openScaleOutBackends } from './scale-out.ts';

/** `logger`: where the stores report outages and fallbacks (scale-out). */
export function openBackends(env: Env, options: { instanceId: string; logger?: Logger }): Promise<Backends> {
  const url = env.REDIS_URL;
  return url ? openScaleOutBackends({ ...env, REDIS_URL: url }, options) : openEmbeddedBackends(env);
}
