/**
 * How every console page and action is served: pages for a signed-in operator (else the login
 * page), actions only with the same origin, a session and its CSRF token (else 403, nothing
 * done), and failures of a store as a 503 page (never a 500).
 *
 * @module
 */
import type { Context } from 'hono';
import { can, type Action } from '../../../domain/access/policy.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { ConsoleSession } from '../../../ports/console-session-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import { requestLogger } from '../../../transport/http/request-log.ts';
import { page } from '../pages/layout.ts';
import { problemBody } from '../pages/login.ts';
import { csrfMatches, type ConsoleSessions } from '../sessions.ts';
import { sameOrigin, sessionIdOf } from './security.ts';

/** The signed-in operator: the session's id (from the cookie) and the session. */
export interface Operator {
  id: string;
  session: ConsoleSession;
}

type Back = { href: string; label: string };

/** The operator as the access policy sees them: a session exists only for an ops token. */
const principalOf = (session: ConsoleSession): Principal => ({ subject: session.subject, roles: new Set(['ops']), customerId: null, repId: null });

/** Whether the policy lets the operator take `action` (on a record of `customerId`). */
export const allowed = (session: ConsoleSession, action: Action, customerId: string | null = null) =>
  can({ principal: principalOf(session), customerId: null }, action, { customerId }).verdict === 'allow';

/** What the page frame shows of the operator (and the logout form's CSRF token). */
export const frame = (op: Operator) => ({ subject: op.session.subject, csrf: op.session.csrf });

/** Renders a page with a status. */
export const render = async (c: Context, status: number, pageFrame: Parameters<typeof page>[0]): Promise<Response> =>
  c.html(await page(pageFrame), status as 200);

/** A page saying what was refused or failed, and where to go back to. */
export const problem = (c: Context, status: number, message: string, operator: Operator | null, back: Back = { href: '/ops', label: 'Back to the overview' }) =>
  render(c, status, {
    title: status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : status >= 500 ? 'Not available right now' : 'Cannot do that',
    operator: operator ? frame(operator) : undefined,
    body: problemBody(message, back),
  });

export type ConsoleHandlers = ReturnType<typeof consoleHandlers>;

export function consoleHandlers(options: { sessions: ConsoleSessions; logger: Logger }) {
  const { sessions } = options;

  /** The request's session, or `null`; a store that is down throws (answered as 503). */
  async function operatorOf(c: Context): Promise<Operator | null> {
    const id = sessionIdOf(c);
    const session = await sessions.find(id);
    return session && id ? { id, session } : null;
  }

  /** Serves a page or an action with its errors as pages: a store (or the ERP) that is down is a 503 page, never a 500. */
  function guarded(handler: (c: Context) => Promise<Response>) {
    return async (c: Context) => {
      try {
        return await handler(c);
      } catch (error) {
        const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
        if (!code) throw error; // unexpected: the app's error handler logs it under the request id
        requestLogger(c, options.logger).warn('ops console: a store or the ERP did not answer', { code });
        return problem(c, 503, `A store or the ERP did not answer (${code}). Retry shortly; the audit log shows what was done.`, null);
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

  return { operatorOf, guarded, viewing, acting };
}

/** The form's fields, or `null` when the body is not a URL-encoded form. */
export async function formOf(c: Context): Promise<Record<string, unknown> | null> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  try {
    return Object.fromEntries(new URLSearchParams(await c.req.text()));
  } catch {
    return null;
  }
}
