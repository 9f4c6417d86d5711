/**
 * Which fields of a log line are never written: credentials by their usual names, wherever they
 * sit in a line's fields or bindings (nested objects and arrays included). Both logging adapters
 * use this one walk: pino through its `formatters` hooks, the JSON-lines logger before it writes.
 *
 * Redaction goes by a field's name, so it is a second line of defence: the core never puts a
 * token or a password in a line (a test checks the log of a run for them), and this catches the
 * header or option object someone logs whole later.
 *
 * Why a walk and not pino's `redact` paths: pino checks every path on every line, and wildcard
 * paths are costly; the list below at three levels (`*.*.*.token`, 180 paths) took 330 µs a line
 * and 40 % of the CatalogPage throughput, and even one level (`*.token`) 42 µs. A line's fields
 * are a handful of keys, so looking each key up in a set costs about a microsecond, at any depth.
 *
 * @module
 */

/** What a redacted value is replaced with. */
export const CENSOR = '[redacted]';

/** Field names whose value is never logged, compared without case. */
export const SECRET_FIELDS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwd',
  'secret',
  'sharedSecret',
  'clientSecret',
  'jwtSecret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'startToken',
  'sessionToken',
  'bearer',
  'apiKey',
  'api-key',
  'x-api-key',
  'privateKey',
  'AUTH_JWT_SECRET',
  'ERP_PASSWORD',
  'REDIS_PASSWORD',
];

const LOWERCASE = new Set(SECRET_FIELDS.map((name) => name.toLowerCase()));

/** Whether a field of this name is redacted. */
export function isSecretField(name: string): boolean {
  return LOWERCASE.has(name.toLowerCase());
}

/** Objects deeper than this are written as `"[object]"`: a line is not a dump. */
const MAX_DEPTH = 8;

/**
 * `value` with every field named like a secret replaced by {@link CENSOR}. Returns `value` itself
 * when there is nothing to hide (the usual case: no copy), else a redacted copy; the caller's
 * object is never changed.
 */
export function redactSecrets<T>(value: T): T {
  return redact(value, 0) as T;
}

function redact(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[object]';
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const clean = redact(item, depth + 1);
      if (clean !== item) (copy ??= [...value])[i] = clean;
    });
    return copy ?? value;
  }
  // Errors, dates and the like are written by their own serialisation.
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const clean = isSecretField(key) ? CENSOR : redact(item, depth + 1);
    if (clean !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = clean;
  }
  return copy ?? value;
}
