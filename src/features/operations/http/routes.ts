/**
 * Operations endpoints: liveness, readiness and metrics.
 *
 * `/healthz` and the readiness status are public (load balancers and orchestrators probe them
 * without credentials); the readiness detail (the ERP's state and last error, breaker, budget,
 * order queue) and `/metrics` are for operations: a bearer token with the `ops` role. A token
 * rather than a separate loopback port, because it works the same on every runtime (a Worker has
 * one fetch handler) and behind any proxy, with the tokens erpfront already checks.
 *
 * @module
 */
import { Hono } from 'hono';
import type { Clock } from '../../../ports/clock.ts';
import type { ErpBudget } from '../../../ports/erp-budget.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import type { CircuitBreaker } from '../../../services/circuit-breaker.ts';
import type { ErpHealth } from '../../../services/erp-health.ts';
import type { TokenVerifier } from '../../../services/token-verifier.ts';
import { authenticate, bearerToken } from '../../../transport/http/bearer.ts';
import { opsAllowed, opsRefusal } from '../../../transport/http/ops-access.ts';

export interface OpsRoutesOptions {
  health: ErpHealth;
  metrics: Metrics;
  /** While the ERP is down for less than this, erpfront is ready: it serves cached data, marked stale. */
  maxStaleSeconds: number;
  connector: string;
  breaker?: CircuitBreaker;
  budget?: ErpBudget;
  orders?: OrderStore;
  clock: Clock;
  /** Checks the ops token that `/metrics` and the readiness detail need. */
  verifyToken: TokenVerifier;
}

const OPS_HINT = 'a token with the ops role (npm run token -- --ops)';

export function opsRoutes(options: OpsRoutesOptions): Hono {
  const app = new Hono();

  /** The process is up. Says nothing about the ERP: restarting erpfront would not fix it. */
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  /**
   * Ready while the ERP answers (`ready`), or while it has been down for less than the stale limit
   * (`degraded`: 200, since every instance serves the same stale data and pulling them all out of
   * a load balancer would only turn stale answers into none). 503 after that.
   */
  app.get('/readyz', async (c) => {
    const erp = await options.health.check();
    const withinLimits = erp.reachable || erp.downForSeconds < options.maxStaleSeconds;
    const status = erp.reachable ? 'ready' : withinLimits ? 'degraded' : 'unavailable';
    // A probe without (or with another) token gets the verdict only; a bad token is no reason to
    // fail a probe.
    const token = bearerToken(c.req.raw);
    const verified = token ? await options.verifyToken(token) : null;
    if (!verified || !('principal' in verified) || !opsAllowed(verified.principal, 'ops.readiness')) return c.json({ status }, withinLimits ? 200 : 503);
    return c.json(
      {
        status,
        erp: { connector: options.connector, ...erp },
        servingStale: !erp.reachable && withinLimits,
        breaker: options.breaker?.snapshot() ?? null,
        budget: options.budget?.snapshot() ?? null,
        orderQueue: options.orders ? await options.orders.queueStats(options.clock.now()) : null,
      },
      withinLimits ? 200 : 503,
    );
  });

  app.get('/metrics', async (c) => {
    const principal = await authenticate(c.req.raw, options.verifyToken, OPS_HINT);
    if (principal instanceof Response) return principal;
    const refused = opsRefusal(principal, 'ops.metrics');
    if (refused) return refused;
    return c.body(await options.metrics.render(), 200, { 'content-type': options.metrics.contentType });
  });

  return app;
}
