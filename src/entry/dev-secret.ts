/**
 * The development signing secret: when AUTH_JWT_SECRET is not set outside production, erpfront
 * and `npm run token` share a random secret kept in DATA_DIR (mode 0600), made on first use.
 * Nothing secret lives in the repository.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function developmentSecret(dataDir: string): { secret: string; path: string } {
  const path = join(dataDir, 'dev-jwt-secret');
  try {
    const secret = readFileSync(path, 'utf8').trim();
    if (secret.length >= 32) return { secret, path };
  } catch {
    // not made yet
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { secret, path };
}

/** The secret in force for this environment: AUTH_JWT_SECRET, else the development one. */
export function signingSecret(env: { AUTH_JWT_SECRET?: string | undefined; DATA_DIR: string }): string {
  return env.AUTH_JWT_SECRET ?? developmentSecret(env.DATA_DIR).secret;
}
