/**
 * Lets PunchOut session access tokens (`pos_…`) through the `/graphql` route's bearer check:
 * they are looked up in the session store and become a `punchout` principal bound to the
 * buyer's customer and the session; every other token goes to the regular verifier. JWTs can
 * never carry the `punchout` role, so only a redeemed session makes such a principal.
 *
 * @module
 */
import type { TokenVerifier } from '../../../services/token-verifier.ts';
import { ACCESS_TOKEN_PREFIX, punchOutPrincipal, type PunchOutSessions } from './sessions.ts';

export function withPunchOutTokens(verify: TokenVerifier, sessions: PunchOutSessions): TokenVerifier {
  return async (token) => {
    if (!token.startsWith(ACCESS_TOKEN_PREFIX)) return verify(token);
    const session = await sessions.byAccessToken(token);
    if (!session) return { problem: 'the PunchOut session has ended or expired; start again from your procurement system' };
    return { principal: punchOutPrincipal(session) };
  };
}
