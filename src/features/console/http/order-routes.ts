/**
 * The console's order pages and actions: dead letters and held orders, one order with its audit
 * trail, the confirmation asked before an action, and the action itself, carried out (and
 * audited) by the orders feature's `OrderActions`, as GraphQL's mutations are.
 *
 * @module
 */
import type { Hono } from 'hono';
import type { AuditLog } from '../../../ports/audit-log.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import { requestLogger } from '../../../transport/http/request-log.ts';
import { ORDER_ACTIONS, type OrderActionKind, type OrderActions } from '../../orders/services/order-actions.ts';
import { type Html, notice, orderPath } from '../pages/layout.ts';
import { ACTION_WORDS, confirmBody, orderBody, ordersBody } from '../pages/orders.ts';
import { allowed, type ConsoleHandlers, frame, problem, render } from './handlers.ts';

const MAX_ID_CHARS = 200;
const LIST_LIMIT = 500;

const isActionKind = (value: string): value is OrderActionKind => Object.hasOwn(ORDER_ACTIONS, value);

export interface OrderRoutesOptions {
  orders: OrderStore | null;
  /** The orders feature's actions (absent where no orders are kept). */
  orderActions: () => OrderActions | undefined;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  refreshSeconds: number;
}

/** Adds the order pages and actions to the console's `app`. */
export function orderRoutes(app: Hono, handlers: ConsoleHandlers, options: OrderRoutesOptions): void {
  const { viewing, acting } = handlers;
  const { clock } = options;

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
}
