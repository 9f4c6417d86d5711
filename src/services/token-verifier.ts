/**
 * Verifies bearer tokens (JWT): HS256 with a shared secret, or RS256/ES256 against an identity
 * provider's JWKS, with jose.
 *
 * Every token must expire (`exp`), and must name the configured issuer and audience when they are
 * set (always with a JWKS). Claims are checked before any key is looked up, so a token that would
 * be refused anyway never makes erpfront fetch the JWKS. The key set is cached (10 minutes) and
 * refetched for an unknown `kid` at most once per cooldown (30 s), each fetch bounded by a timeout
 * (5 s); when it cannot be fetched, the last keys fetched are still used. Problems are described
 * from the error's kind, never with the library's text or the configuration (the JWKS URL).
 *
 * Verified tokens are remembered until they expire (five minutes at most), so a busy buyer's
 * token is checked with WebCrypto once rather than on every request: by the SHA-256 of the token
 * (the tokens themselves are not kept, and every key is 32 bytes), in an LRU of 10,000; a refusal
 * is never remembered.
 *
 * @module
 */
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { withoutAddresses } from '../domain/loggable-error.ts';
import { principalFromClaims, type Principal } from '../domain/principal.ts';
import type { Logger } from '../ports/logger.ts';

export interface TokenVerifierOptions {
  /** HS256 shared secret. */
  secret?: string;
  /** URL of a JSON Web Key Set, for RS256/ES256 tokens from an identity provider. */
  jwksUrl?: string;
  /** Required `iss` claim (AUTH_JWT_ISSUER). */
  issuer?: string;
  /** Required `aud` claim (AUTH_JWT_AUDIENCE). */
  audience?: string;
  /** Longest wait for the JWKS, ms (default 5000). */
  jwksTimeoutMs?: number;
  /** Least time between two fetches of the JWKS for unknown key ids, or after a failed fetch, ms (default 30 000). */
  jwksCooldownMs?: number;
  /** How long fetched keys are used before the JWKS is fetched again, ms (default 10 minutes). */
  jwksMaxAgeMs?: number;
  /** Epoch ms now; passed in for tests. */
  now?: () => number;
  /** Where a JWKS that cannot be fetched is reported. */
  logger: Logger;
}

/**
 * A principal, or why the token is refused. `unavailable`: the token could not be checked because
 * the identity provider's keys cannot be fetched (a 503, not the client's fault).
 */
export type Verification = { principal: Principal } | { problem: string; unavailable?: boolean };

export type TokenVerifier = (token: string) => Promise<Verification>;

const HS_ALGORITHMS = ['HS256'];
const JWKS_ALGORITHMS = ['RS256', 'ES256'];
/** Clock skew tolerated between erpfront and the token issuer, seconds. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** The identity provider's keys could not be fetched (and none were fetched before). */
class KeysUnavailable extends Error {
  override readonly name = 'KeysUnavailable';
}

/** The longest token remembered under its own text. */
const MAX_KEY_CHARS = 2048;

/** Creates a verifier from a secret (HS256) or a JWKS URL (RS256/ES256; the URL wins when both are given). */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  const remembered = new LRUCache<string, { principal: Principal; until: number }>({ max: 10_000 });
  const key: Uint8Array | JWTVerifyGetKey = options.jwksUrl
    ? remoteKeys(new URL(options.jwksUrl), options, now)
    : options.secret
      ? new TextEncoder().encode(options.secret)
      : (() => {
          throw new Error('createTokenVerifier: pass a secret (HS256) or a jwksUrl');
        })();
  const algorithms = options.jwksUrl ? JWKS_ALGORITHMS : HS_ALGORITHMS;
  const expected = { issuer: options.issuer, audience: options.audience, algorithms, requiredClaims: ['exp'], clockTolerance: CLOCK_TOLERANCE_SECONDS };

  return async (token) => {
    // The token itself is the key (a verified token is a few hundred characters, and hashing it
    // was a tenth of a cached page's own work); a longer one is hashed, so 10,000 of them stay small.
    const id = token.length <= MAX_KEY_CHARS ? token : `sha256:${createHash('sha256').update(token).digest('base64url')}`;
    const hit = remembered.get(id);
    if (hit && hit.until > now()) return { principal: hit.principal };
    const early = precheck(token, expected, now());
    if (early) return { problem: early };
    let claims: JWTPayload;
    try {
      claims = (await jwtVerify(token, key as JWTVerifyGetKey, { ...expected, currentDate: new Date(now()) })).payload;
    } catch (error) {
      if (error instanceof KeysUnavailable) {
        return { problem: "the identity provider's signing keys cannot be fetched right now; retry shortly", unavailable: true };
      }
      return { problem: describe(error) };
    }
    const result = principalFromClaims(claims);
    if ('problem' in result) return result;
    remembered.set(id, { principal: result, until: Math.min(claims.exp! * 1000, now() + 300_000) });
    return { principal: result };
  };
}

/**
 * What is wrong with a token that needs no key to see: not a JWT, another algorithm, no or a past
 * `exp`, another issuer or audience. `null` when only the signature remains to be checked.
 */
function precheck(token: string, expected: { issuer?: string; audience?: string; algorithms: string[] }, nowMs: number): string | null {
  let claims: JWTPayload;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
    claims = decodeJwt(token);
  } catch {
    return 'the token is not a valid JWT';
  }
  if (!alg || !expected.algorithms.includes(alg)) return 'the token is signed with an algorithm this server does not accept';
  if (typeof claims.exp !== 'number') return 'the token has no expiry (exp claim); only tokens that expire are accepted';
  if (claims.exp + CLOCK_TOLERANCE_SECONDS < nowMs / 1000) return 'the token has expired; get a new one';
  if (expected.issuer !== undefined && claims.iss !== expected.issuer)
    return 'the token was not issued by the identity provider this server trusts (iss claim)';
  if (expected.audience !== undefined) {
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    if (!audiences.includes(expected.audience)) return 'the token is not meant for this server (aud claim)';
  }
  return null;
}

/**
 * The identity provider's keys, through jose's remote key set (cache, cooldown for unknown kids,
 * timeout, concurrent lookups sharing one fetch). When a fetch fails, the keys fetched before
 * stand in, and no new fetch is tried before the cooldown has passed: a failing identity provider
 * is not asked once per incoming token.
 */
function remoteKeys(url: URL, options: TokenVerifierOptions, now: () => number): JWTVerifyGetKey {
  const cooldownMs = options.jwksCooldownMs ?? 30_000;
  const remote = createRemoteJWKSet(url, {
    timeoutDuration: options.jwksTimeoutMs ?? 5000,
    cooldownDuration: cooldownMs,
    cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
  });
  let failedAt = -Infinity;
  let lastFailure = '';

  const previous: JWTVerifyGetKey = (header, token) => {
    const known = remote.jwks();
    if (!known) throw new KeysUnavailable(lastFailure);
    return createLocalJWKSet(known)(header, token);
  };

  return async (header, token) => {
    if (!remote.fresh && now() - failedAt < cooldownMs) return previous(header, token);
    try {
      return await remote(header, token);
    } catch (error) {
      // Answers about the token's key, from a key set that was fetched: the token is refused.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported)
        throw error;
      // Anything else is the fetch failing: unreachable, timed out, not 200, not a key set.
      failedAt = now();
      lastFailure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      // The identity provider's public URL goes to the log (operators need it), never to a
      // client; the failure's own text may name addresses on the way, and those are cut.
      options.logger.warn(
        `the JWKS at ${url.origin}${url.pathname} could not be fetched; ${remote.jwks() ? 'using the keys fetched before' : 'tokens cannot be checked'} until it answers`,
        {
          jwksUrl: `${url.origin}${url.pathname}`,
          failure: withoutAddresses(lastFailure, 300),
        },
      );
      return previous(header, token);
    }
  };
}

/** A sentence for the client, chosen by the kind of failure; never the library's own text. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired; get a new one';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'exp':
        return 'the token has no valid expiry (exp claim); only tokens that expire are accepted';
      case 'nbf':
        return 'the token is not valid yet';
      case 'iss':
        return 'the token was not issued by the identity provider this server trusts (iss claim)';
      case 'aud':
        return 'the token is not meant for this server (aud claim)';
      default:
        return `the token's ${error.claim} claim is not valid`;
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not match: it was not issued for this server';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm this server does not accept';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed with a key the identity provider does not publish';
  return 'the token is not a valid JWT';
}
