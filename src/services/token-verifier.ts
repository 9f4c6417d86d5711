/**
 * Verifies bearer tokens (JWT): HS256 with a shared secret, or RS256/ES256 against a JWKS.
 *
 * Verified tokens are remembered until they expire, so a busy buyer's token is checked with
 * WebCrypto once rather than on every request.
 *
 * @module
 */
import { verify, verifyWithJwks } from 'hono/jwt';
import { LRUCache } from 'lru-cache';
import { principalFromClaims, type Principal } from '../domain/principal.ts';

export interface TokenVerifierOptions {
  /** HS256 shared secret. */
  secret?: string;
  /** URL of a JSON Web Key Set, for RS256/ES256 tokens from an identity provider. */
  jwksUrl?: string;
  /** Epoch ms now; passed in for tests. */
  now?: () => number;
}

export type Verification = { principal: Principal } | { problem: string };

export type TokenVerifier = (token: string) => Promise<Verification>;

/** Creates a verifier; tokens without `exp` are remembered for at most five minutes. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  const remembered = new LRUCache<string, { principal: Principal; until: number }>({ max: 10_000 });
  const check = options.jwksUrl
    ? (token: string) => verifyWithJwks(token, { jwks_uri: options.jwksUrl, allowedAlgorithms: ['RS256', 'ES256'] })
    : options.secret
      ? (token: string) => verify(token, options.secret!, 'HS256')
      : null;
  if (!check) throw new Error('createTokenVerifier: pass a secret (HS256) or a jwksUrl');

  return async (token) => {
    const hit = remembered.get(token);
    if (hit && hit.until > now()) return { principal: hit.principal };
    let claims: Record<string, unknown>;
    try {
      claims = (await check(token)) as Record<string, unknown>;
    } catch (error) {
      return { problem: describe(error) };
    }
    const result = principalFromClaims(claims);
    if ('problem' in result) return result;
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Infinity;
    remembered.set(token, { principal: result, until: Math.min(exp, now() + 300_000) });
    return { principal: result };
  };
}

function describe(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'JwtTokenExpired') return 'the token has expired; get a new one';
  if (name === 'JwtTokenSignatureMismatched') return 'the token signature does not match: it was not issued for this server';
  if (name === 'JwtTokenNotBefore') return 'the token is not valid yet';
  if (name.startsWith('JwtAlgorithm')) return 'the token is signed with an algorithm this server does not accept';
  return `the token is not a valid JWT (${error instanceof Error ? error.message : String(error)})`;
}
