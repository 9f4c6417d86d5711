/**
 * The ops console's pages and actions under `/ops`: server-rendered HTML, one small script, no
 * CDN. Every page but the login needs a session; every POST needs the same origin and the
 * session's CSRF token; every action goes through the service that carries it out and audits it
 * (`OrderActions`, `ReconciliationRuns`), as GraphQL's do.
 *
 * @module
 */
import { type Context, Hono } from 'hono';
import { can, type Action } from '../../../domain/access/policy.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { AuditLog } from '../../../ports/audit-log.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { ConsoleSession } from '../../../ports/console-session-store.ts';
import type { FindingStore } from '../../../ports/finding-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import { auditAction } from '../../../services/ops-audit.ts';
import { bodyLimit } from '../../../transport/http/body-limit.ts';
import { requestLogger } from '../../../transport/http/request-log.ts';
import type { OrderActions } from '../../orders/services/order-actions.ts';
import { ORDER_ACTIONS, type OrderActionKind } from '../../orders/services/order-actions.ts';
import type { ReconciliationServices } from '../../reconciliation/resolvers.ts';
import { auditBody } from '../pages/audit.ts';
import { CONSOLE_CSS, CONSOLE_JS } from '../pages/assets.ts';
import { type Html, notice, orderPath, page } from '../pages/layout.ts';
import { loginBody, problemBody } from '../pages/login.ts';
import { ACTION_WORDS, confirmBody, orderBody, ordersBody } from '../pages/orders.ts';
import { overviewBody } from '../pages/overview.ts';
import { confirmRunBody, reconciliationBody } from '../pages/reconciliation.ts';
import { csrfMatches, type ConsoleSessions } from '../sessions.ts';
import { type ConsoleStatusDeps, readOverview } from '../status.ts';
import { clearedCookie, consoleHeaders, sameOrigin, sessionCookie, sessionIdOf } from './security.ts';

/** A form's body: a pasted token is a few KB at most. */
export const CONSOLE_MAX_BODY_BYTES = 16 * 1024;
/** The longest token accepted in the login form. */
const MAX_TOKEN_CHARS = 8 * 1024;
const MAX_ID_CHARS = 200;
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

type Operator = { id: string; session: ConsoleSession };

/** The operator as the access policy sees them: the session exists only for an ops token. */
const principalOf = (session: ConsoleSession): Principal => ({ subject: session.subject, roles: new Set(['ops']), customerId: null, repId: null });
const allowed = (session: ConsoleSession, action: Action, customerId: string | null = null) =>
  can({ principal: principalOf(session), customerId: null }, action, { customerId }).verdict === 'allow';

const isActionKind = (value: string): value is OrderActionKind => Object.hasOwn(ORDER_ACTIONS, value);

export function consoleRoutes(options: ConsoleRoutesOptions): Hono {
  const app = new Hono();
  const { sessions, clock } = options;
  app.use(consoleHeaders());

  const render = async (c: Context, status: number, frame: Parameters<typeof page>[0]): Promise<Response> => c.html(await page(frame), status as 200);
  const problem = (c: Context, status: number, message: string, operator: Operator | null, back = { href: '/ops', label: 'Back to the overview' }) =>
    render(c, status, {
      title: status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : status >= 500 ? 'Not available right now' : 'Cannot do that',
      operator: operator ? { subject: operator.session.subject, csrf: operator.session.csrf } : undefined,
      body: problemBody(message, back),
    });
  const frame = (op: Operator) => ({ subject: op.session.subject, csrf: op.session.csrf });

  /** The request's session, or `null`; a store that is down throws (answered as 503). */
  async function operatorOf(c: Context): Promise<Operator | null> {
    const id = sessionIdOf(c);
    const session = await sessions.find(id);
    return session && id ? { id, session } : null;
  }

  /** Serves a page or an action with its errors as pages: a store that is down is a 503 page, never a 500. */
  function guarded(handler: (c: Context) => Promise<Response>) {
    return async (c: Context) => {
      try {
        return await handler(c);
      } catch (error) {
        const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
        if (!code) throw error; // unexpected: the app's error handler logs it under the request id
        requestLogger(c, options.logger).warn('ops console: a store did not answer', { code });
        return problem(c, 503, `A store erpfront depends on did not answer (${code}); nothing was changed by this request. Retry shortly.`, null);
      }
    };
  }

  /** A page for a signed-in operator; without a session, the login page. */
  const viewing = (handler: (c: Context, op: Operator) => Promise<Response>) =>
    guarded(async (c) => {
      const op = await operatorOf(c);
      if (!op) return c.redirect('/ops/login', 303);
      return handler(c, op);
    });

  /**
   * An action of a signed-in operator: same origin, a session, its CSRF token; else 403 and
   * nothing done. The form's fields go to the handler.
   */
  const acting = (handler: (c: Context, op: Operator, form: Record<string, unknown>) => Promise<Response>) =>
    guarded(async (c) => {
      if (!sameOrigin(c)) return problem(c, 403, 'This form did not come from the console (another site sent it). Nothing was done.', null);
      const op = await operatorOf(c);
      if (!op)
        return problem(c, 403, 'You are not logged in (or the session has ended). Nothing was done; log in and try again.', null, {
          href: '/ops/login',
          label: 'Log in',
        });
      const form = await formOf(c);
      if (!form) return problem(c, 415, 'Expected a form (application/x-www-form-urlencoded). Nothing was done.', op);
      if (!csrfMatches(op.session, form.csrf)) {
        return problem(c, 403, 'This form has expired or did not come from the console: reload the page and try again. Nothing was done.', op);
      }
      return handler(c, op, form);
    });

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

  app.get(
    '/orders',
    viewing(async (c, op) => {
      const store = options.orders;
      const now = clock.now();
      const body: Html = store
        ? ordersBody(await store.listByStatus(['REJECTED'], { limit: LIST_LIMIT }), await store.listByStatus(['ON_HOLD'], { limit: LIST_LIMIT }), now)
        : notice('warn', 'This deployment takes no orders.');
      return render(c, 200, {
        title: 'Orders that need a person',
        section: '/ops/orders',
        operator: frame(op),
        refreshSeconds: options.refreshSeconds,
        readAt: new Date(now).toISOString(),
        body,
      });
    }),
  );

  app.get(
    '/orders/:id',
    viewing(async (c, op) => {
      const id = c.req.param('id') ?? '';
      const order = id.length <= MAX_ID_CHARS && options.orders ? await options.orders.get(id) : null;
      if (!order)
        return problem(c, 404, `No order ${id.slice(0, MAX_ID_CHARS)} in erpfront's order store.`, op, { href: '/ops/orders', label: 'Back to the orders' });
      const done = c.req.query('done');
      const flash = done && isActionKind(done) ? notice('ok', `Order ${order.id} ${ORDER_ACTIONS[done].done}. The audit log has it.`) : '';
      const now = clock.now();
      return render(c, 200, {
        title: `Order ${order.id}`,
        section: '/ops/orders',
        operator: frame(op),
        refreshSeconds: options.refreshSeconds,
        readAt: new Date(now).toISOString(),
        body: orderBody(order, await options.audit.listByTarget(order.id, 100), now, flash),
      });
    }),
  );

  app.get(
    '/orders/:id/:action',
    viewing(async (c, op) => {
      const id = c.req.param('id') ?? '';
      const action = c.req.param('action') ?? '';
      const back = { href: '/ops/orders', label: 'Back to the orders' };
      if (!isActionKind(action))
        return problem(c, 404, `There is no action "${action.slice(0, 40)}"; an order can be replayed, released or cancelled.`, op, back);
      const order = id.length <= MAX_ID_CHARS && options.orders ? await options.orders.get(id) : null;
      if (!order) return problem(c, 404, `No order ${id.slice(0, MAX_ID_CHARS)} in erpfront's order store.`, op, back);
      const { from, done } = ORDER_ACTIONS[action];
      if (!(from as readonly string[]).includes(order.status)) {
        return problem(c, 409, `Order ${order.id} is ${order.status}; only ${from.join(' or ')} orders can be ${done}.`, op, {
          href: orderPath(order.id),
          label: 'Back to the order',
        });
      }
      return render(c, 200, {
        title: `${ACTION_WORDS[action].label} order?`,
        section: '/ops/orders',
        operator: frame(op),
        body: confirmBody(order, action, op.session.csrf),
      });
    }),
  );

  app.post(
    '/orders/:id/:action',
    acting(async (c, op) => {
      const id = c.req.param('id') ?? '';
      const action = c.req.param('action') ?? '';
      const actions = options.orderActions();
      if (!isActionKind(action) || !actions || id.length > MAX_ID_CHARS)
        return problem(c, 404, 'There is no such order or action.', op, { href: '/ops/orders', label: 'Back to the orders' });
      const policyAction = ORDER_ACTIONS[action].action;
      if (!allowed(op.session, policyAction)) return problem(c, 403, `${policyAction} is not allowed for ${op.session.subject}.`, op);
      const outcome = await actions.run(
        action,
        id,
        { subject: op.session.subject, mayActOn: (customerId) => allowed(op.session, policyAction, customerId) },
        requestLogger(c, options.logger),
      );
      if (outcome.ok) return c.redirect(`${orderPath(id)}?done=${action}`, 303);
      return problem(c, outcome.code === 'ORDER_NOT_FOUND' ? 404 : 409, outcome.message, op, {
        href: outcome.code === 'ORDER_NOT_FOUND' ? '/ops/orders' : orderPath(id),
        label: 'Back',
      });
    }),
  );

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
        body: [ran, body] as unknown as Html,
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

/** The form's fields, or `null` when the body is not a URL-encoded form. */
async function formOf(c: Context): Promise<Record<string, unknown> | null> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  try {
    return Object.fromEntries(new URLSearchParams(await c.req.text()));
  } catch {
    return null;
  }
}
