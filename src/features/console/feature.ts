/**
 * The ops console at `/ops`: web pages for operations staff, not developers. ERP health and the
 * breaker, the ERP budget by priority, the order queue, dead letters and held orders (replay,
 * release, cancel, each confirmed first), reconciliation findings, the change feed, the cache,
 * the price sheet, recent errors with request ids, and the audit log of every operations action.
 *
 * Login exchanges an ops token for a server-side session (the backends' console session store:
 * shared by every instance in scale-out); the browser holds an opaque id in an HttpOnly,
 * SameSite=Strict cookie scoped to `/ops`. Listed last: it reads the other features' services
 * (orders' actions, reconciliation, and the change feed's and price sheet's status providers).
 * Not served on Workers: its health, metrics and recent errors would be one isolate's of many.
 *
 * @module
 */
import { Hono } from 'hono';
import type { Feature } from '../feature.ts';
import { consoleRoutes } from './http/routes.ts';
import { ConsoleSessions } from './sessions.ts';
import { consoleSources } from './sources.ts';

/** How often the live pages refresh themselves, seconds. */
const REFRESH_SECONDS = 10;

export const consoleFeature: Feature = {
  name: 'console',
  setup({ env, backends, verifyToken, clock, health, breaker, cache, metrics, erp, logger, recentErrors, services }) {
    // Not on Workers (the memory and Durable Object sets): its sessions, audit log and findings
    // are shared there (Durable Objects), but what the pages show of health, the breaker, metrics
    // and recent errors is one isolate's of many, which would mislead an operator.
    if (backends.kind === 'memory' || backends.kind === 'durable-objects') return {};
    const sessions = new ConsoleSessions({ store: backends.consoleSessions, verifyToken, clock, ttlMs: env.OPS_CONSOLE_SESSION_MINUTES * 60_000 });
    const app = consoleRoutes({
      sessions,
      status: {
        env,
        connector: erp.name,
        health,
        breaker,
        budget: backends.budget,
        orders: backends.orders,
        findings: backends.findings,
        cache,
        metrics,
        clock,
        recentErrors,
        // Read per request: the features that provide them may be set up after this one.
        sources: () => consoleSources(services),
      },
      orders: backends.orders,
      orderActions: () => services.orderActions,
      reconciliation: () => services.reconciliation,
      audit: backends.audit,
      findings: backends.findings,
      clock,
      logger,
      refreshSeconds: REFRESH_SECONDS,
    });
    // `/ops/` as typed by hand: the overview, not a 404.
    const slash = new Hono().get('/ops/', (c) => c.redirect('/ops', 301));
    return {
      routes: [
        { path: '/ops', app },
        { path: '/', app: slash },
      ],
    };
  },
};
