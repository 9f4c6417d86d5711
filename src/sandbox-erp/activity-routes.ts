/**
 * The sandbox ERP's account activity, batched by customer list as its other reads are:
 * `GET /open-orders?customerIds=` (each customer's orders not yet invoiced or cancelled, counted
 * and totalled) and `GET /open-invoices?customerIds=` (each customer's unpaid invoices: the
 * seeded receivables behind its balance plus its orders invoiced on account). A customer the ERP
 * does not know is `missing`.
 *
 * @module
 */
import Big from 'big.js';
import { Hono } from 'hono';
import type { CustomerOpenInvoices, OpenInvoice, OpenOrderSummary } from '../ports/erp-connector.ts';
import { batch } from './api.ts';
import type { DataSet } from './data-set.ts';
import type { OrderBook } from './order-book.ts';
import { seededOpenInvoices } from './receivables.ts';

const OPEN = new Set(['OPEN', 'ON_HOLD', 'PARTIALLY_SHIPPED', 'SHIPPED']);

export function activityRoutes(data: DataSet, orders: Pick<OrderBook, 'ofCustomer'>, now: () => Date): Hono {
  const api = new Hono();

  api.get('/open-orders', (c) =>
    batch(
      c,
      'customerIds',
      (id): OpenOrderSummary | undefined => {
        const account = data.customersById.get(id);
        if (!account) return undefined;
        const open = orders.ofCustomer(id).filter((o) => OPEN.has(o.status));
        const total = open.reduce((sum, o) => sum.plus(o.total), new Big(0));
        return { customerId: id, count: open.length, total: total.toFixed(2), currency: account.currency };
      },
      (summary) => summary.customerId,
    ),
  );

  api.get('/open-invoices', (c) => {
    const today = now();
    return batch(
      c,
      'customerIds',
      (id): CustomerOpenInvoices | undefined => {
        const account = data.customersById.get(id);
        if (!account) return undefined;
        const fromOrders: OpenInvoice[] = orders.ofCustomer(id).flatMap((o) => o.invoices.filter((i) => !i.paid).map((i) => ({ ...i, orderNumber: o.number })));
        return { customerId: id, invoices: [...seededOpenInvoices(data.seed, account, today), ...fromOrders] };
      },
      (entry) => entry.customerId,
    );
  });

  return api;
}
