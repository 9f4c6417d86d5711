/**
 * Which fields of a log line are never written: credentials by their usual names, wherever they
 * sit in a line's fields (up to three objects deep). Both logging adapters use this one list:
 * pino through its `redact` paths, the JSON-lines logger by walking the fields.
 *
 * Redaction goes by a field's name, so it is a second line of defence: the core never puts a
 * token or a password in a line (a test checks the log of a run for them), and this catches the
 * header or option object someone logs whole later.
 *
 * @module
 */

/** What a redacted value is replaced with. */
export const CENSOR = '[redacted]';

/** Field names whose value is never logged (compared without case by the JSON-lines logger). */
export const SECRET_FIELDS: readonly string[] = [
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie',
  'password', 'passwd', 'secret', 'sharedSecret', 'clientSecret', 'jwtSecret',
  'token', 'accessToken', 'refreshToken', 'idToken', 'startToken', 'sessionToken', 'bearer',
  'apiKey', 'api-key', 'x-api-key', 'privateKey',
  'AUTH_JWT_SECRET', 'ERP_PASSWORD', 'REDIS_PASSWORD',
];

const LOWERCASE = new Set(SECRET_FIELDS.map((name) => name.toLowerCase()));

/** Whether a field of this name is redacted. */
export function isSecretField(name: string): boolean {
  return LOWERCASE.has(name.toLowerCase());
}

/** How deep (objects within the fields) pino looks for these names. */
const DEPTH = 3;

/**
 * pino `redact.paths` for every name, as written and capitalised (`authorization`,
 * `Authorization`), at the top level and under up to `DEPTH` objects.
 */
export function pinoRedactPaths(): string[] {
  const spellings = new Set(SECRET_FIELDS.flatMap((name) => [name, name[0]!.toUpperCase() + name.slice(1)]));
  const paths: string[] = [];
  for (const name of spellings) {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
    for (let depth = 0; depth <= DEPTH; depth++) {
      const prefix = '*.'.repeat(depth);
      paths.push(key.startsWith('[') ? `${prefix.slice(0, -1)}${key}` : `${prefix}${key}`);
    }
  }
  return paths;
}
