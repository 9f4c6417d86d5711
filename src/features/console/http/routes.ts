/**
 * The ops console's pages and actions under `/ops`: server-rendered HTML, one small script, no
 * CDN. Every page but the login needs a session; every POST needs the same origin and the
 * session's CSRF token; every action goes through the service that carries it out and audits it
 * (`OrderActions`, `ReconciliationRuns`), as GraphQL's do.
 *
 * @module
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AuditLog } from '../../../ports/audit-log.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { FindingStore } from '../../../ports/finding-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import { auditAction } from '../../../services/ops-audit.ts';
import { bodyLimit } from '../../../transport/http/body-limit.ts';
import { requestLogger } from '../../../transport/http/request-log.ts';
import type { OrderActions } from '../../orders/services/order-actions.ts';
import type { ReconciliationServices } from '../../reconciliation/resolvers.ts';
import { auditBody } from '../pages/audit.ts';
import { CONSOLE_CSS, CONSOLE_JS } from '../pages/assets.ts';
import { notice } from '../pages/layout.ts';
import { loginBody } from '../pages/login.ts';
import { overviewBody } from '../pages/overview.ts';
import { confirmRunBody, reconciliationBody } from '../pages/reconciliation.ts';
import type { ConsoleSessions } from '../sessions.ts';
import { type ConsoleStatusDeps, readOverview } from '../status.ts';
import { allowed, consoleHandlers, formOf, frame, problem, render } from './handlers.ts';
import { orderRoutes } from './order-routes.ts';
import { clearedCookie, consoleHeaders, sameOrigin, sessionCookie } from './security.ts';

/** A form's body: a pasted token is a few KB at most. */
export const CONSOLE_MAX_BODY_BYTES = 16 * 1024;
/** The longest token accepted in the login form. */
const MAX_TOKEN_CHARS = 8 * 1024;
const LIST_LIMIT = 500;

export interface ConsoleRoutesOptions {
  sessions: ConsoleSessions;
  status: ConsoleStatusDeps;
  orders: OrderStore | null;
  /** The orders feature's actions (absent where no orders are kept). */
  orderActions: () => OrderActions | undefined;
  /** The reconciliation feature's runs and findings (absent where no orders are kept). */
  reconciliation: () => ReconciliationServices | undefined;
  audit: AuditLog;
  findings: FindingStore;
  clock: Clock;
  logger: Logger;
  /** Seconds between refreshes of the live pages. */
  refreshSeconds: number;
}

export function consoleRoutes(options: ConsoleRoutesOptions): Hono {
  const app = new Hono();
  const { sessions, clock } = options;
  app.use(consoleHeaders());

  const handlers = consoleHandlers({ sessions, logger: options.logger });
  const { guarded, viewing, acting, operatorOf } = handlers;

  const limit = bodyLimit({
    maxBytes: CONSOLE_MAX_BODY_BYTES,
    // Plain and synchronous: the body is not read at all.
    refuse: () =>
      new Response(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too large · erpfront ops</title></head><body><main><h1>Too large</h1><p>A console form is at most ${CONSOLE_MAX_BODY_BYTES} bytes. Nothing was done.</p><p><a href="/ops">Back to the overview</a></p></main></body></html>`,
        { status: 413, headers: { 'content-type': 'text/html; charset=utf-8' } },
      ),
  });
  app.post('*', limit);

  app.get('/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }));
  app.get('/assets/console.js', (c) => c.body(CONSOLE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }));

  app.get(
    '/login',
    guarded(async (c) => ((await operatorOf(c)) ? c.redirect('/ops', 303) : render(c, 200, { title: 'Log in', body: loginBody(null) }))),
  );

  app.post(
    '/login',
    guarded(async (c) => {
      if (!sameOrigin(c))
        return problem(c, 403, 'This form did not come from the console (another site sent it).', null, { href: '/ops/login', label: 'Log in' });
      const form = await formOf(c);
      const token = typeof form?.token === 'string' ? form.token.trim() : '';
      if (!token || token.length > MAX_TOKEN_CHARS) {
        return render(c, 400, { title: 'Log in', body: loginBody(`Paste an ops token (a JWT of at most ${MAX_TOKEN_CHARS} characters).`) });
      }
      const outcome = await sessions.login(token);
      const log = requestLogger(c, options.logger);
      const at = () => new Date(clock.now()).toISOString();
      if (!outcome.ok) {
        if (outcome.subject) {
          await auditAction(
            options.audit,
            { at: at(), actor: outcome.subject, action: 'console.login', target: null, result: 'refused', detail: outcome.problem },
            log,
          );
        }
        return render(c, outcome.status, { title: 'Log in', body: loginBody(outcome.problem) });
      }
      await auditAction(
        options.audit,
        { at: at(), actor: outcome.session.subject, action: 'console.login', target: null, result: 'ok', detail: 'Logged in to the ops console.' },
        log,
      );
      c.header('set-cookie', sessionCookie(c, outcome.id, outcome.session.expiresAt, clock.now()));
      return c.redirect('/ops', 303);
    }),
  );

  app.post(
    '/logout',
    acting(async (c, op) => {
      await sessions.end(op.id);
      const log = requestLogger(c, options.logger);
      await auditAction(
        options.audit,
        {
          at: new Date(clock.now()).toISOString(),
          actor: op.session.subject,
          action: 'console.logout',
          target: null,
          result: 'ok',
          detail: 'Logged out of the ops console.',
        },
        log,
      );
      c.header('set-cookie', clearedCookie(c));
      return c.redirect('/ops/login', 303);
    }),
  );

  app.get(
    '/',
    viewing(async (c, op) => {
      const status = await readOverview(options.status);
      return render(c, 200, {
        title: 'Overview',
        section: '/ops',
        operator: frame(op),
        refreshSeconds: options.refreshSeconds,
        readAt: status.readAt,
        body: overviewBody(status),
      });
    }),
  );

  orderRoutes(app, handlers, options);

  app.get(
    '/reconciliation',
    viewing(async (c, op) => {
      const now = clock.now();
      const [findings, lastRun] = await Promise.all([options.findings.list({ limit: LIST_LIMIT }), options.findings.lastRun()]);
      const ran = c.req.query('done') === 'run' ? notice('ok', 'Reconciliation ran. The audit log has it.') : '';
      const body = reconciliationBody(findings, lastRun, now, options.reconciliation() !== undefined && allowed(op.session, 'reconciliation.run'));
      return render(c, 200, {
        title: 'Reconciliation',
        section: '/ops/reconciliation',
        operator: frame(op),
        refreshSeconds: options.refreshSeconds,
        readAt: new Date(now).toISOString(),
        body: html`${ran}${body}`,
      });
    }),
  );

  app.get(
    '/reconciliation/run',
    viewing(async (c, op) =>
      render(c, 200, { title: 'Run reconciliation?', section: '/ops/reconciliation', operator: frame(op), body: confirmRunBody(op.session.csrf) }),
    ),
  );

  app.post(
    '/reconciliation/run',
    acting(async (c, op) => {
      const reconciliation = options.reconciliation();
      if (!reconciliation) return problem(c, 404, 'Reconciliation is not available on this deployment: it keeps no orders.', op);
      if (!allowed(op.session, 'reconciliation.run')) return problem(c, 403, `reconciliation.run is not allowed for ${op.session.subject}.`, op);
      const outcome = await reconciliation.runs.runFor(op.session.subject);
      if (!outcome.ran) return problem(c, 409, outcome.skipped, op, { href: '/ops/reconciliation', label: 'Back to reconciliation' });
      return c.redirect('/ops/reconciliation?done=run', 303);
    }),
  );

  app.get(
    '/audit',
    viewing(async (c, op) => {
      const entries = await options.audit.listRecent(200);
      return render(c, 200, {
        title: 'Audit log',
        section: '/ops/audit',
        operator: frame(op),
        refreshSeconds: options.refreshSeconds,
        readAt: new Date(clock.now()).toISOString(),
        body: auditBody(entries),
      });
    }),
  );

  return app;
}
