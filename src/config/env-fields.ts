/**
 * The kinds of value an environment variable may hold (seconds, ports, switches, URLs without
 * credentials), shared by the variables of the schema in env.ts so that each kind reads and fails
 * alike wherever it is used.
 *
 * @module
 */
import { z } from 'zod';

export const seconds = (fallback: number) => z.coerce.number().finite().nonnegative().default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** A switch whose default depends on NODE_ENV: `undefined` when unset. */
export const optionalBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes')
  .optional();
/** An http(s) URL that carries no credentials: fetch refuses them, and they would end up in logs. */
export const credentialFree = (url: string) => {
  try {
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '';
  } catch {
    return true; // z.url() reports it
  }
};
export const noCredentials = { message: 'expected a URL without credentials (user:password@): they would be logged and fetch refuses them' };
