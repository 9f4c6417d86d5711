/**
 * `POST /ops/invalidate`: an ERP change event (a webhook, a script, an operator) drops the changed
 * cache entries on every instance. Needs a bearer token with the `ops` role.
 *
 * Body: `{"domain": "prices", "keys": ["priceList:PL-OEM:SKU-00001", "list:USD:SKU-00001"]}`, or a
 * batch as webhooks send it: `{"changes": [{"domain": "stock", "keys": ["SKU-00001"]}, ...]}`.
 * Keys are the cache's own, with their scope (see README "Run several instances").
 *
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { CacheInvalidation } from '../../../services/cache-invalidation.ts';
import type { TokenVerifier } from '../../../services/token-verifier.ts';
import { authenticate } from '../../../transport/http/bearer.ts';
import { bodyLimit, tooLargeMessage } from '../../../transport/http/body-limit.ts';
import { graphqlErrorResponse } from '../../../transport/http/error-response.ts';
import { opsRefusal } from '../../../transport/http/ops-access.ts';
import { requestLogger } from '../../../transport/http/request-log.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import { untrustedField } from '../../../domain/untrusted-text.ts';
import type { AuditLog } from '../../../ports/audit-log.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { Logger } from '../../../ports/logger.ts';
import { auditAction } from '../../../services/ops-audit.ts';

/** Largest invalidation body, in bytes: a webhook's batch of changes is far smaller. */
export const OPS_MAX_BODY_BYTES = 1024 * 1024;

const Change = z.strictObject({
  domain: z.enum(['items', 'prices', 'stock', 'accounts', 'reps']),
  keys: z.array(z.string().min(1).max(200)).min(1).max(1000),
});
const Body = z.union([Change, z.strictObject({ changes: z.array(Change).min(1).max(100) })]);

export interface InvalidateRouteOptions {
  invalidation: CacheInvalidation;
  verifyToken: TokenVerifier;
  logger: Logger;
  /** Every invalidation an operator asks for is recorded here (who, which domains, how many keys, result). */
  audit: AuditLog;
  clock: Clock;
}

export function invalidateRoute(options: InvalidateRouteOptions): Hono {
  const app = new Hono();
  const limit = bodyLimit({ maxBytes: OPS_MAX_BODY_BYTES, refuse: (refusal) => graphqlErrorResponse(413, 'REQUEST_TOO_LARGE', tooLargeMessage(refusal)) });
  app.post('/ops/invalidate', limit, async (c) => {
    const principal = await authenticate(c.req.raw, options.verifyToken, 'a token with the ops role (npm run token -- --ops)');
    if (principal instanceof Response) return principal;
    const refused = opsRefusal(principal, 'ops.invalidate');
    if (refused) return refused;
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return graphqlErrorResponse(400, 'BAD_REQUEST', 'Expected a JSON body {"domain": "prices", "keys": ["priceList:PL-OEM:SKU-00001"]}.');
    }
    const parsed = Body.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return graphqlErrorResponse(
        400,
        'BAD_REQUEST',
        `${issue.path.join('.') || 'body'}: ${issue.message}. Expected {"domain": "prices", "keys": [...]} or {"changes": [...]}.`,
      );
    }
    const changes = 'changes' in parsed.data ? parsed.data.changes : [parsed.data];
    const invalidated = changes.reduce((n, change) => n + change.keys.length, 0);
    // An operator's action: who, and what (domains and how many keys; the keys can be a thousand).
    const action = { subject: untrustedField(principal.subject, 200), domains: [...new Set(changes.map((change) => change.domain))], keys: invalidated };
    const log = requestLogger(c, options.logger);
    // The route is where an operator's invalidation is carried out (webhooks and polls invalidate
    // through the changes feature, and are no one's action): audited here.
    const audit = (result: 'ok' | 'failed', detail: string) =>
      auditAction(
        options.audit,
        { at: new Date(options.clock.now()).toISOString(), actor: action.subject, action: 'ops.invalidate', target: null, result, detail },
        log,
      );
    const what = `${invalidated} cache keys in ${action.domains.join(', ')}`;
    try {
      for (const change of changes) await options.invalidation.invalidate(change.domain, change.keys);
    } catch (error) {
      log.error('cache invalidation could not be broadcast', { ...action, err: loggableError(error) });
      await audit('failed', `Dropped ${what} on this instance; the other instances could not be told (Redis unreachable).`);
      return graphqlErrorResponse(
        503,
        'INVALIDATION_NOT_BROADCAST',
        'Dropped here, but the other instances could not be told (Redis is unreachable); they serve the old value until it ages out. Retry.',
      );
    }
    log.info('cache invalidated', action);
    await audit('ok', `Dropped ${what} on every instance.`);
    return c.json({ invalidated });
  });
  return app;
}
