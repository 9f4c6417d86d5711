/**
 * Signs an HS256 token with erpfront's claims. Used by `npm run token`, the development entry and
 * the tests.
 *
 * @module
 */
import { SignJWT } from 'jose';
import type { Role } from '../src/domain/principal.ts';

export interface TokenRequest {
  secret: string;
  roles: Role[];
  customerId?: string;
  repId?: string;
  subject?: string;
  /** Lifetime in seconds (default 12 h). Every token expires: erpfront refuses tokens without `exp`. */
  ttlSeconds?: number;
  /** The `iss` claim (AUTH_JWT_ISSUER, when erpfront checks it). */
  issuer?: string;
  /** The `aud` claim (AUTH_JWT_AUDIENCE, when erpfront checks it). */
  audience?: string;
}

export function signToken(request: TokenRequest): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const subject =
    request.subject ?? (request.repId ? `rep:${request.repId}` : request.customerId ? `buyer@${request.customerId}` : `${request.roles[0]}@erpfront`);
  const jwt = new SignJWT({
    roles: request.roles,
    ...(request.customerId ? { customerId: request.customerId } : {}),
    ...(request.repId ? { repId: request.repId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.ttlSeconds ?? 12 * 3600));
  if (request.issuer) jwt.setIssuer(request.issuer);
  if (request.audience) jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(request.secret));
}
