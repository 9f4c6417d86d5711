/**
 * Bearer authentication for HTTP routes: one parser of the `Authorization` header, and one answer
 * for a token that is missing (401), refused (401, saying why) or cannot be checked right now
 * (503: the identity provider's keys cannot be fetched).
 *
 * @module
 */
import type { Principal } from '../../domain/principal.ts';
import type { TokenVerifier, Verification } from '../../services/token-verifier.ts';
import { graphqlErrorResponse } from './error-response.ts';

/** The token of `Authorization: Bearer <token>`, or `null`. */
export function bearerToken(request: Request): string | null {
  return bearerOf(request.headers.get('authorization'));
}

/** The token of an `Authorization` header's value `Bearer <token>`, or `null`. */
export function bearerOf(authorization: string | null): string | null {
  return authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? null;
}

/** The answer to a token that was not accepted. */
export function authenticationFailure(verified: Exclude<Verification, { principal: Principal }>): Response {
  if (verified.unavailable) {
    return graphqlErrorResponse(503, 'AUTHENTICATION_UNAVAILABLE', `The bearer token cannot be checked: ${verified.problem}.`, { 'Retry-After': '5' });
  }
  return graphqlErrorResponse(401, 'UNAUTHENTICATED', `Invalid bearer token: ${verified.problem}.`, {
    'WWW-Authenticate': 'Bearer realm="erpfront", error="invalid_token"',
  });
}

/** The principal of the request's bearer token, or the answer that refuses it. */
export async function authenticate(request: Request, verifyToken: TokenVerifier, hint = 'Authorization: Bearer <JWT>'): Promise<Principal | Response> {
  const token = bearerToken(request);
  if (!token) {
    return graphqlErrorResponse(401, 'UNAUTHENTICATED', `Send a bearer token: ${hint}.`, { 'WWW-Authenticate': 'Bearer realm="erpfront"' });
  }
  const verified = await verifyToken(token);
  return 'problem' in verified ? authenticationFailure(verified) : verified.principal;
}
