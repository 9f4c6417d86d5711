/**
 * Signs an HS256 token with erpfront's claims. Used by `npm run token`, the development entry and
 * the tests.
 *
 * @module
 */
import { sign } from 'hono/jwt';
import type { Role } from '../src/domain/principal.ts';

export interface TokenRequest {
  secret: string;
  roles: Role[];
  customerId?: string;
  repId?: string;
  subject?: string;
  /** Lifetime in seconds (default 12 h). */
  ttlSeconds?: number;
}

export function signToken(request: TokenRequest): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const subject = request.subject ?? (request.repId ? `rep:${request.repId}` : request.customerId ? `buyer@${request.customerId}` : `${request.roles[0]}@erpfront`);
  return sign(
    {
      sub: subject,
      roles: request.roles,
      ...(request.customerId ? { customerId: request.customerId } : {}),
      ...(request.repId ? { repId: request.repId } : {}),
      iat: now,
      exp: now + (request.ttlSeconds ?? 12 * 3600),
    },
    request.secret,
    'HS256',
  );
}
