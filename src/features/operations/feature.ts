/**
 * Operations: liveness, readiness and metrics (`/healthz`, `/readyz`, `/metrics`) and cache
 * invalidation on every instance (`POST /ops/invalidate`). The order queue's operations
 * (`orderQueue`, replay, release) are order fields, in the orders feature.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { invalidateRoute } from './http/invalidate-route.ts';
import { opsRoutes } from './http/routes.ts';

export const operationsFeature: Feature = {
  name: 'operations',
  setup({ env, health, metrics, erp, breaker, backends, clock, verifyToken, invalidation, logger }) {
    return {
      routes: [
        {
          path: '/',
          app: opsRoutes({
            health,
            metrics,
            maxStaleSeconds: env.MAX_STALE_SECONDS,
            connector: erp.name,
            breaker,
            budget: backends.budget,
            orders: backends.orders ?? undefined,
            clock,
            verifyToken,
          }),
        },
        { path: '/', app: invalidateRoute({ invalidation, verifyToken, logger, audit: backends.audit, clock }) },
      ],
    };
  },
};
